import type { IstioConfig, IstioKind } from '@trellis/mesh-api';

/** Identity of a stored object; apiVersion only shapes the reply. */
export interface ConfigRef {
  kind: IstioKind;
  namespace: string;
  name: string;
  apiVersion?: string;
}

export type ApplyAction = 'created' | 'configured' | 'unchanged';
export type DeleteAction = 'deleted' | 'not found';

export interface ApplyResult {
  kind: IstioKind;
  apiVersion: string;
  namespace: string;
  name: string;
  action: ApplyAction;
}

export interface DeleteResult {
  kind: IstioKind;
  apiVersion: string;
  namespace: string;
  name: string;
  action: DeleteAction;
}

export interface ConfigChange {
  kind: IstioKind;
  namespace: string;
  name: string;
  action: 'created' | 'configured' | 'deleted';
}

export type ConfigListener = (changes: readonly ConfigChange[]) => void;

export interface ApplyOptions {
  /** Namespace for objects without `metadata.namespace` (default `default`). */
  namespace?: string;
}

/**
 * Where Istio config lives. Reads are synchronous (stores keep everything in memory); writes are
 * all-or-nothing: every object is validated first, and on any error nothing is stored
 * (TrellisError `VALIDATION_FAILED`, `context.details` = ValidationError[]).
 * Returned objects are deeply frozen; they carry resourceVersion, generation, creationTimestamp.
 */
export interface ConfigStore {
  list(kind?: IstioKind, namespace?: string): IstioConfig[];
  get(kind: IstioKind, namespace: string, name: string): IstioConfig | undefined;
  applyAll(objects: readonly unknown[], options?: ApplyOptions): Promise<ApplyResult[]>;
  deleteAll(refs: readonly ConfigRef[]): Promise<DeleteResult[]>;
  /** Called once per effective applyAll/deleteAll (not for all-unchanged applies). */
  onChange(listener: ConfigListener): () => void;
}
