import {
  configKey,
  configKindOf,
  formatValidationError,
  KIND_INFO,
  preferredApiVersion,
  validateConfig,
  type IstioConfig,
  type IstioKind,
} from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import type {
  ApplyOptions,
  ApplyResult,
  ConfigChange,
  ConfigListener,
  ConfigRef,
  ConfigStore,
  DeleteResult,
} from './config-store';
import { deepFreeze } from '@trellis/shared';
import { nextStored } from './stored-object';

export interface StoreOptions {
  now?: () => Date;
}

/** The kind id keys the store: a Gateway API Gateway (`KubernetesGateway`) and an Istio Gateway may share a name. */
export const kindIdOf = (o: Pick<IstioConfig, 'apiVersion' | 'kind'>): IstioKind => configKindOf(o) ?? o.kind;
const keyOf = (o: IstioConfig): string => configKey(kindIdOf(o), o.metadata.namespace ?? 'default', o.metadata.name);

/** In-memory ConfigStore; also the base of FileConfigStore, which persists through `persist`. */
export class MemoryConfigStore implements ConfigStore {
  protected readonly objects = new Map<string, IstioConfig>();
  private readonly listeners = new Set<ConfigListener>();
  private lastVersion = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;

  constructor(options: StoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  list(kind?: IstioKind, namespace?: string): IstioConfig[] {
    return [...this.objects.values()]
      .filter((o) => (kind === undefined || kindIdOf(o) === kind) && (namespace === undefined || o.metadata.namespace === namespace))
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
  }

  get(kind: IstioKind, namespace: string, name: string): IstioConfig | undefined {
    return this.objects.get(configKey(kind, namespace, name));
  }

  applyAll(objects: readonly unknown[], options: ApplyOptions = {}): Promise<ApplyResult[]> {
    return this.serialized(() => this.doApply(objects, options));
  }

  deleteAll(refs: readonly ConfigRef[]): Promise<DeleteResult[]> {
    return this.serialized(() => this.doDelete(refs));
  }

  onChange(listener: ConfigListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Durably record writes and deletions before they become visible. Memory store: nothing to do. */
  protected persist(_writes: readonly IstioConfig[], _deletes: readonly IstioConfig[]): Promise<void> {
    return Promise.resolve();
  }

  /** Seed objects loaded from durable storage (keeps their metadata). */
  protected load(o: IstioConfig): void {
    this.objects.set(keyOf(o), deepFreeze(o));
    this.lastVersion = Math.max(this.lastVersion, Number(o.metadata.resourceVersion) || 0);
  }

  private serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async doApply(objects: readonly unknown[], options: ApplyOptions): Promise<ApplyResult[]> {
    const { valid, errors } = validateConfig(objects, options);
    if (errors.length > 0) {
      throw new TrellisError('VALIDATION_FAILED', `${errors.length} validation error(s): ${errors.map(formatValidationError).join('; ')}`, {
        details: errors,
      });
    }
    const version = (): string => String(++this.lastVersion);
    const planned = valid.map((o) => ({ incoming: o, ...nextStored(o, this.objects.get(keyOf(o)), version, this.now) }));
    const writes = planned.filter((p) => p.action !== 'unchanged').map((p) => p.object);
    await this.persist(writes, []);
    for (const o of writes) this.objects.set(keyOf(o), o);
    this.notify(planned.filter((p) => p.action !== 'unchanged').map((p) => change(p.object, p.action as ConfigChange['action'])));
    return planned.map((p) => ({ ...identity(p.object), apiVersion: p.incoming.apiVersion, action: p.action }));
  }

  private async doDelete(refs: readonly ConfigRef[]): Promise<DeleteResult[]> {
    const found = refs.map((r) => this.objects.get(configKey(r.kind, r.namespace, r.name)));
    const deletes = found.filter((o): o is IstioConfig => o !== undefined);
    await this.persist([], deletes);
    for (const o of deletes) this.objects.delete(keyOf(o));
    this.notify(deletes.map((o) => change(o, 'deleted')));
    return refs.map((r, i) => ({
      kind: r.kind,
      apiVersion: r.apiVersion ?? found[i]?.apiVersion ?? preferredApiVersion(KIND_INFO[r.kind]),
      namespace: r.namespace,
      name: r.name,
      action: found[i] === undefined ? 'not found' : 'deleted',
    }));
  }

  private notify(changes: ConfigChange[]): void {
    if (changes.length === 0) return;
    for (const l of [...this.listeners]) {
      try {
        l(changes);
      } catch {
        // A failing listener must not fail the write that already happened.
      }
    }
  }
}

function identity(o: IstioConfig): { kind: IstioKind; namespace: string; name: string } {
  return { kind: kindIdOf(o), namespace: o.metadata.namespace ?? 'default', name: o.metadata.name };
}

function change(o: IstioConfig, action: ConfigChange['action']): ConfigChange {
  return { ...identity(o), action };
}
