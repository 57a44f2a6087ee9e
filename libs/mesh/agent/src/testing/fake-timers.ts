import type { AgentTimers } from '../timers';

interface Pending {
  readonly id: number;
  readonly at: number;
  readonly fn: () => void;
}

/** Manual time for the agent: timers fire only when a test runs them. */
export class FakeTimers implements AgentTimers {
  private pending: Pending[] = [];
  private nextId = 1;
  /** Every delay ever scheduled, in order. */
  readonly delays: number[] = [];

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.push({ id, at: this.current + ms, fn });
    this.delays.push(ms);
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  get scheduled(): number {
    return this.pending.length;
  }

  /** Moves the clock to the earliest timer and runs it; returns the delay it had from the previous time. */
  runNext(): number {
    const next = [...this.pending].sort((a, b) => a.at - b.at)[0];
    if (next === undefined) throw new Error('no timer pending');
    this.pending = this.pending.filter((p) => p !== next);
    const waited = next.at - this.current;
    this.current = next.at;
    next.fn();
    return waited;
  }

  advance(ms: number): void {
    this.current += ms;
  }
}

/** Polls `cond` on real time (the agent's key generation runs on libuv's pool). */
export async function until(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
