/** Debounce settings (istiod: PILOT_DEBOUNCE_AFTER 100 ms, PILOT_DEBOUNCE_MAX 10 s). */
export interface DebounceOptions {
  readonly quietMs: number;
  readonly maxMs: number;
}

export const DEFAULT_DEBOUNCE: DebounceOptions = { quietMs: 100, maxMs: 10_000 };

export interface Debouncer {
  /** Records an event; `fire(firstEventAt, reasons)` runs once things go quiet (or maxMs passed). */
  trigger(reason: string): void;
  cancel(): void;
}

/**
 * istiod's debounce: the first event starts the window, later events merge into it; fire when
 * no event came for quietMs, or maxMs after the first event.
 */
export function createDebouncer(options: DebounceOptions, fire: (firstEventAt: number, reasons: string[]) => void): Debouncer {
  let timer: NodeJS.Timeout | undefined;
  let first = 0;
  let last = 0;
  let reasons: string[] = [];

  const check = (): void => {
    const now = Date.now();
    const quietLeft = options.quietMs - (now - last);
    const maxLeft = options.maxMs - (now - first);
    if (quietLeft > 0 && maxLeft > 0) {
      timer = setTimeout(check, Math.min(quietLeft, maxLeft));
      return;
    }
    timer = undefined;
    const merged = reasons;
    reasons = [];
    fire(first, merged);
  };

  return {
    trigger(reason) {
      const now = Date.now();
      if (timer === undefined) {
        first = now;
        timer = setTimeout(check, options.quietMs);
      }
      last = now;
      if (!reasons.includes(reason)) reasons.push(reason);
    },
    cancel() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      reasons = [];
    },
  };
}
