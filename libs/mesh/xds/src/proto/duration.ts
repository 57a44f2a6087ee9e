import type { Duration } from '@trellis/mesh-envoy';
import { TrellisError } from '@trellis/shared';

/** A google.protobuf.Duration with both fields set. */
export type DurationObject = Readonly<Required<Duration>>;

/** "1.5s" / "250ms" → {seconds, nanos}; accepted as a convenience where a Duration is expected. */
export function parseDuration(text: string): DurationObject {
  const match = /^(\d+(?:\.\d+)?)(s|ms)$/.exec(text.trim());
  if (!match) throw new TrellisError('XDS_BAD_DURATION', 'Invalid duration', { value: text });
  const totalMs = match[2] === 's' ? Number(match[1]) * 1000 : Number(match[1]);
  const seconds = Math.floor(totalMs / 1000);
  return { seconds, nanos: Math.round((totalMs - seconds * 1000) * 1e6) };
}

export function durationToMs(d: Duration | undefined): number | undefined {
  if (d === undefined) return undefined;
  return (d.seconds ?? 0) * 1000 + Math.round((d.nanos ?? 0) / 1e6);
}
