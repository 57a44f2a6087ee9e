import type { IstioConfig, IstioKind } from '@trellis/mesh-api';
import type { ApplyOptions, ApplyResult, ConfigListener, ConfigRef, ConfigStore, DeleteResult } from './config-store';

/** The `.status` a controller computed for a stored object (undefined: none). */
export type StatusOf = (config: IstioConfig) => Record<string, unknown> | undefined;

/**
 * A ConfigStore whose reads carry the `.status` a controller computed, as the API server's objects
 * do once a controller writes their `/status` (local mode has no API server: the Gateway API's
 * status lives here). Writes and change events pass through unchanged.
 */
export class StatusOverlayStore implements ConfigStore {
  constructor(
    private readonly inner: ConfigStore,
    private readonly statusOf: StatusOf,
  ) {}

  list(kind?: IstioKind, namespace?: string): IstioConfig[] {
    return this.inner.list(kind, namespace).map((c) => this.withStatus(c));
  }

  get(kind: IstioKind, namespace: string, name: string): IstioConfig | undefined {
    const found = this.inner.get(kind, namespace, name);
    return found === undefined ? undefined : this.withStatus(found);
  }

  applyAll(objects: readonly unknown[], options?: ApplyOptions): Promise<ApplyResult[]> {
    return this.inner.applyAll(objects, options);
  }

  deleteAll(refs: readonly ConfigRef[]): Promise<DeleteResult[]> {
    return this.inner.deleteAll(refs);
  }

  onChange(listener: ConfigListener): () => void {
    return this.inner.onChange(listener);
  }

  private withStatus(c: IstioConfig): IstioConfig {
    const status = this.statusOf(c);
    return status === undefined ? c : ({ ...c, status } as IstioConfig);
  }
}
