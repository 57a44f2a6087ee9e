import { configKey, configKindOf, ISTIO_CRD_KINDS, KIND_INFO, preferredApiVersion, type IstioConfig, type IstioKind } from '@trellis/mesh-api';
import type { ApplyOptions, ApplyResult, ConfigChange, ConfigListener, ConfigRef, ConfigStore, DeleteResult } from '@trellis/mesh-config';
import { deepFreeze, errorMessage, type Logger } from '@trellis/shared';
import type { KubeClient } from '../client/kube-client';
import { isAtLeast, waitFor } from '../informer/freeze';
import { Informer, type InformerOptions, type InformerStats } from '../informer/informer';
import type { InformerEvent } from '../informer/informer-events';
import { toIstioConfig, validateIstioObjects, type IstioObject } from './convert';
import { servedResources } from '../client/discovery';
import { discoverIstioVersions, istioPath, servedIstioVersion, type IstioVersions, type ServedResources } from './istio-resources';
import { ValidationEventRecorder } from './validation-events';
import { applyIstioConfigs, deleteIstioObject, TRELLIS_FIELD_MANAGER, validationFailed, type IstioWriter } from './writes';

export interface KubeConfigStoreOptions {
  client: KubeClient;
  logger?: Logger;
  /** Kinds to watch (default: every Istio kind). */
  kinds?: readonly IstioKind[];
  /** Server-side apply field manager for applyAll (default `trellis`). */
  fieldManager?: string;
  /** Event source component (default `istiod`). */
  component?: string;
  /** How long applyAll/deleteAll wait for their writes to reach the informer cache (default 10 s). */
  syncTimeoutMs?: number;
  informer?: Pick<InformerOptions<IstioObject>, 'backoff' | 'watchTimeoutSeconds' | 'pageSize'>;
}

/** The kind id (a Gateway API Gateway is `KubernetesGateway`), which keys the cache. */
const kindIdOf = (o: IstioConfig): IstioKind => configKindOf(o) ?? o.kind;

const identity = (o: IstioConfig): { kind: IstioKind; namespace: string; name: string } => ({
  kind: kindIdOf(o),
  namespace: o.metadata.namespace ?? 'default',
  name: o.metadata.name,
});

/**
 * ConfigStore backed by the Istio CRDs of a Kubernetes cluster: one informer per kind (in the
 * preferred served version), objects validated as in local mode; invalid ones are not served but
 * reported as `ValidationFailed` Warning Events. Writes go to the API server (server-side apply);
 * `onChange` fires when the informer caches change, including for writes made by kubectl.
 */
export class KubeConfigStore implements ConfigStore {
  private readonly served = new Map<string, IstioConfig>();
  private readonly informers = new Map<IstioKind, Informer<IstioObject>>();
  private readonly listeners = new Set<ConfigListener>();
  private readonly wakers = new Set<() => void>();
  private readonly pending = new Set<Promise<void>>();
  private readonly recorder: ValidationEventRecorder;
  private readonly writer: IstioWriter;

  private constructor(
    private readonly options: KubeConfigStoreOptions,
    /** The version read per kind (kinds added by `watchServed` join it). */
    readonly versions: IstioVersions,
  ) {
    this.recorder = new ValidationEventRecorder({ client: options.client, logger: options.logger, component: options.component });
    this.writer = { client: options.client, fieldManager: options.fieldManager ?? TRELLIS_FIELD_MANAGER };
  }

  /** Discover the served versions and start the informers (await `ready()` for the initial lists). */
  static async start(options: KubeConfigStoreOptions): Promise<KubeConfigStore> {
    // Istio's kinds by default: ready() waits for every informer, and the Gateway API's CRDs may be absent
    const kinds = options.kinds ?? ISTIO_CRD_KINDS;
    const store = new KubeConfigStore(options, { ...(await discoverIstioVersions(options.client, kinds)) });
    for (const kind of kinds) store.watchKind(kind);
    return store;
  }

  /**
   * Start informers for those of `kinds` whose CRDs the server serves now and that are not watched yet
   * (the Gateway API's may be installed after the control plane starts); returns the kinds started.
   * `ready()` covers them once started.
   */
  async watchServed(kinds: readonly IstioKind[]): Promise<IstioKind[]> {
    const lookup: ServedResources = (group, version) => servedResources(this.options.client, group, version);
    const started: IstioKind[] = [];
    for (const kind of kinds.filter((k) => !this.informers.has(k))) {
      const version = await servedIstioVersion(kind, lookup);
      if (version === undefined) continue;
      (this.versions as Record<IstioKind, string>)[kind] = version;
      this.watchKind(kind);
      started.push(kind);
    }
    return started;
  }

  /** Resolves once every kind has been listed. */
  async ready(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.ready()));
  }

  async stop(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
    await Promise.all([...this.pending]);
    this.listeners.clear();
  }

  /** List/watch counters per informer path (for debug endpoints and tests). */
  informerStats(): Record<string, InformerStats> {
    return Object.fromEntries([...this.informers.values()].map((i) => [i.path, { ...i.stats }]));
  }

  list(kind?: IstioKind, namespace?: string): IstioConfig[] {
    const key = (o: IstioConfig): string => configKey(kindIdOf(o), o.metadata.namespace ?? 'default', o.metadata.name);
    return [...this.served.values()]
      .filter((o) => (kind === undefined || kindIdOf(o) === kind) && (namespace === undefined || o.metadata.namespace === namespace))
      .sort((a, b) => key(a).localeCompare(key(b)));
  }

  get(kind: IstioKind, namespace: string, name: string): IstioConfig | undefined {
    return this.served.get(configKey(kind, namespace, name));
  }

  async applyAll(objects: readonly unknown[], options: ApplyOptions = {}): Promise<ApplyResult[]> {
    const { valid, problems } = validateIstioObjects(objects, options);
    if (problems.length > 0) throw validationFailed(problems);
    const written = await applyIstioConfigs(this.writer, valid);
    await this.settle(() => written.every((w) => isAtLeast(this.cached(kindIdOf(w.config), identity(w.config).namespace, w.config.metadata.name), w.resourceVersion)));
    return written.map((w) => ({ ...identity(w.config), apiVersion: w.config.apiVersion, action: w.action }));
  }

  async deleteAll(refs: readonly ConfigRef[]): Promise<DeleteResult[]> {
    const results: DeleteResult[] = [];
    for (const r of refs) {
      const before = this.get(r.kind, r.namespace, r.name);
      const deleted = await deleteIstioObject(this.writer, r.kind, this.versions[r.kind], r.namespace, r.name);
      const apiVersion = r.apiVersion ?? before?.apiVersion ?? preferredApiVersion(KIND_INFO[r.kind]);
      results.push({ kind: r.kind, apiVersion, namespace: r.namespace, name: r.name, action: deleted ? 'deleted' : 'not found' });
    }
    await this.settle(() => refs.every((r) => this.cached(r.kind, r.namespace, r.name) === undefined));
    return results;
  }

  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private watchKind(kind: IstioKind): void {
    const informer = new Informer<IstioObject>({
      ...this.options.informer,
      client: this.options.client,
      path: istioPath(kind, this.versions[kind]),
      logger: this.options.logger,
    });
    informer.onEvents((events) => this.handle(kind, events));
    this.informers.set(kind, informer);
    informer.start();
  }

  private cached(kind: IstioKind, namespace: string, name: string): string | undefined {
    return this.informers.get(kind)?.get(namespace, name)?.metadata.resourceVersion;
  }

  private settle(done: () => boolean): Promise<boolean> {
    return waitFor(done, (check) => {
      this.wakers.add(check);
      return () => this.wakers.delete(check);
    }, this.options.syncTimeoutMs ?? 10_000);
  }

  private handle(kind: IstioKind, events: readonly InformerEvent<IstioObject>[]): void {
    const changes = events.flatMap((e) => this.update(kind, e));
    if (changes.length > 0) {
      for (const l of [...this.listeners]) {
        try {
          l(changes);
        } catch (err) {
          this.options.logger?.error({ err: errorMessage(err) }, 'config listener failed');
        }
      }
    }
    for (const w of [...this.wakers]) w();
  }

  /** Apply one informer event to the served set; returns the change a ConfigStore listener sees. */
  private update(kind: IstioKind, e: InformerEvent<IstioObject>): ConfigChange[] {
    const { name, namespace = 'default' } = e.object.metadata;
    const key = configKey(kind, namespace, name);
    const wasServed = this.served.has(key);
    const gone: ConfigChange[] = wasServed ? [{ kind, namespace, name, action: 'deleted' }] : [];
    if (e.type === 'deleted') {
      this.recorder.forget(e.object);
      this.served.delete(key);
      return gone;
    }
    const { config, errors } = toIstioConfig(e.object, kind, this.versions[kind]);
    if (config === undefined) {
      this.served.delete(key);
      const report = this.recorder.report({ ...e.object, kind }, errors);
      this.pending.add(report);
      void report.finally(() => this.pending.delete(report));
      return gone;
    }
    this.served.set(key, deepFreeze(config));
    return [{ kind, namespace, name, action: wasServed ? 'configured' : 'created' }];
  }
}
