/** The parts of Kubernetes' ObjectMeta that Trellis reads. */
export interface KubeObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  generateName?: string;
}

/** Any Kubernetes object (list items of built-in kinds carry no apiVersion/kind). */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: KubeObjectMeta;
}

export interface KubeList<T extends KubeObject = KubeObject> {
  apiVersion?: string;
  kind?: string;
  metadata: { resourceVersion?: string; continue?: string };
  items: T[];
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: unknown;
}

/** meta/v1 Status: the body of every API error. */
export interface KubeStatus {
  kind?: 'Status';
  status?: 'Success' | 'Failure';
  code?: number;
  reason?: string;
  message?: string;
  details?: { name?: string; kind?: string; causes?: { field?: string; message?: string; reason?: string }[] };
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export function isKubeObject(value: unknown): value is KubeObject {
  return isRecord(value) && isRecord(value['metadata']) && typeof value['metadata']['name'] === 'string';
}

export function isKubeStatus(value: unknown): value is KubeStatus {
  return isRecord(value) && value['kind'] === 'Status';
}

/** `namespace/name` (or `name` for cluster-scoped objects). */
export function objectKey(o: KubeObject): string {
  const ns = o.metadata.namespace;
  return ns === undefined || ns === '' ? o.metadata.name : `${ns}/${o.metadata.name}`;
}
