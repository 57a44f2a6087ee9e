import { TrellisError } from '@trellis/shared';

export interface DurationObject {
  readonly seconds: number;
  readonly nanos: number;
}

/** "1.5s" / "250ms" → {seconds, nanos}; accepted as a convenience where a Duration is expected. */
export function parseDuration(text: string): DurationObject {
  const match = /^(\d+(?:\.\d+)?)(s|ms)$/.exec(text.trim());
  if (!match) throw new TrellisError('XDS_BAD_DURATION', 'Invalid duration', { value: text });
  const totalMs = match[2] === 's' ? Number(match[1]) * 1000 : Number(match[1]);
  const seconds = Math.floor(totalMs / 1000);
  return { seconds, nanos: Math.round((totalMs - seconds * 1000) * 1e6) };
}

export function durationToMs(d: { seconds?: number; nanos?: number } | undefined): number | undefined {
  if (d === undefined) return undefined;
  return (d.seconds ?? 0) * 1000 + Math.round((d.nanos ?? 0) / 1e6);
}
