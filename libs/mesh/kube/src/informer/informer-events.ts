import type { KubeObject } from '../client/types';

export type InformerEventType = 'added' | 'modified' | 'deleted';

export interface InformerEvent<T extends KubeObject> {
  type: InformerEventType;
  object: T;
  /** The cached object before a modification. */
  previous?: T;
}

export type InformerListener<T extends KubeObject> = (events: readonly InformerEvent<T>[]) => void;

/** What changed between two caches keyed by namespace/name (modified = different resourceVersion). */
export function diffCaches<T extends KubeObject>(before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): InformerEvent<T>[] {
  const events: InformerEvent<T>[] = [];
  for (const [key, object] of after) {
    const previous = before.get(key);
    if (previous === undefined) events.push({ type: 'added', object });
    else if (previous.metadata.resourceVersion !== object.metadata.resourceVersion) events.push({ type: 'modified', object, previous });
  }
  for (const [key, object] of before) if (!after.has(key)) events.push({ type: 'deleted', object });
  return events;
}
