import type { Duration } from '@trellis/mesh-envoy';

const UNIT_NANOS: Readonly<Record<string, number>> = {
  h: 3600e9,
  m: 60e9,
  s: 1e9,
  ms: 1e6,
  us: 1e3,
  µs: 1e3,
  ns: 1,
};

const TOKEN = /(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/y;

/** Istio duration strings ("7s", "0.5s", "100ms", "1m30s", "1h") → nanoseconds; undefined if invalid. */
export function parseDurationNanos(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const input = text.trim();
  if (input === '') return undefined;
  let total = 0;
  let index = 0;
  while (index < input.length) {
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(input);
    if (!match) return undefined;
    total += Number(match[1]) * (UNIT_NANOS[match[2] ?? ''] ?? 0);
    index = TOKEN.lastIndex;
  }
  return Math.round(total);
}

export function nanosToDuration(nanos: number): Duration {
  const seconds = Math.floor(nanos / 1e9);
  return { seconds, nanos: Math.round(nanos - seconds * 1e9) };
}

/** Duration for an Istio string, or undefined when absent/invalid. */
export function toDuration(text: string | undefined): Duration | undefined {
  const nanos = parseDurationNanos(text);
  return nanos === undefined ? undefined : nanosToDuration(nanos);
}

export function durationOr(text: string | undefined, fallback: Duration): Duration {
  return toDuration(text) ?? fallback;
}

export const ZERO_DURATION: Duration = { seconds: 0, nanos: 0 };

export function seconds(value: number): Duration {
  return nanosToDuration(value * 1e9);
}

export function durationIsZero(d: Duration | undefined): boolean {
  return d === undefined || (d.seconds === 0 && d.nanos === 0);
}
