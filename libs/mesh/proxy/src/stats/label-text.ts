import { PEER_LABELS } from './istio-labels';
import type { CompiledOverrides } from './istio-metrics';
import { escapeLabelValue } from './prom-text';

/**
 * A series' label text (`reporter="…",…,connection_security_policy="…"`), rendered once and kept
 * with the series. Everything it depends on is fixed for the series' lifetime: the edge's 20 peer
 * values and the series' tail are resolved when the series is made, and the overrides (removed
 * tags) belong to the scope, which is keyed by them — a config change that alters the overrides
 * records into a new scope with new series, so a cached text never goes stale, and a scrape
 * during the change renders each scope with its own text.
 */
export class SeriesLabels {
  /** The text with no tag removed (the common case: shared by every metric of the series). */
  private full: string | undefined = undefined;
  /** Per metric, for metrics whose overrides remove tags. */
  private trimmed: Map<string, string> | undefined = undefined;

  text(overrides: CompiledOverrides, metric: string, names: readonly string[], peer: readonly string[], tail: readonly string[]): string {
    const removed = overrides.removeTags.get(metric);
    if (removed === undefined) return (this.full ??= labelText(undefined, names, peer, tail));
    this.trimmed ??= new Map();
    let t = this.trimmed.get(metric);
    if (t === undefined) this.trimmed.set(metric, (t = labelText(removed, names, peer, tail)));
    return t;
  }
}

/** `name="value",…` in `names` order: the first 20 values from the edge, the rest from the series' tail. */
export function labelText(removed: ReadonlySet<string> | undefined, names: readonly string[], peer: readonly string[], tail: readonly string[]): string {
  let out = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (removed?.has(name) === true) continue;
    const value = i < PEER_LABELS.length ? peer[i] : tail[i - PEER_LABELS.length];
    out += `${out === '' ? '' : ','}${name}="${escapeLabelValue(value ?? '')}"`;
  }
  return out;
}
