import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';
import type { RegistryChange, RegistryListener, ServiceRegistry, UpsertAction } from '@trellis/mesh-config';
import { canonicalJson, deepFreeze, errorMessage, TrellisError, type Logger } from '@trellis/shared';
import { preferredVersion } from '../client/discovery';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { Informer, type InformerOptions, type InformerStats } from '../informer/informer';
import { endpointsByPod, toMeshService, toWorkload } from './convert';
import type { KubeEndpointSlice, KubeNamespace, KubePod, KubeService } from './k8s-types';

export interface KubeRegistryOptions {
  client: KubeClient;
  logger?: Logger;
  /** Default `cluster.local`. */
  domainSuffix?: string;
  /** EndpointSlice API version: `auto` (default) asks discovery for v1, then v1beta1; `off` uses pod status only. */
  endpointSlices?: 'auto' | 'v1' | 'v1beta1' | 'off';
  informer?: Pick<InformerOptions<KubeObject>, 'backoff' | 'watchTimeoutSeconds' | 'pageSize'>;
}

type Named = { namespace: string; name: string };
const keyOf = (o: Named): string => `${o.namespace}/${o.name}`;

/**
 * ServiceRegistry fed by Kubernetes informers: Services → MeshService, Pods → WorkloadInstance,
 * EndpointSlices (v1, or v1beta1 on older servers) for endpoint addresses and readiness, Namespaces
 * for their labels. Read-only: the cluster is the source of truth.
 */
export class KubeRegistry implements ServiceRegistry {
  private svc = new Map<string, MeshService>();
  private wl = new Map<string, WorkloadInstance>();
  private readonly listeners = new Set<RegistryListener>();
  private readonly services$: Informer<KubeService>;
  private readonly pods$: Informer<KubePod>;
  private readonly namespaces$: Informer<KubeNamespace>;
  private readonly slices$: Informer<KubeEndpointSlice> | undefined;

  private constructor(
    private readonly options: KubeRegistryOptions,
    /** The EndpointSlice version in use (`discovery.k8s.io/v1beta1` on Kubernetes 1.20), or undefined. */
    readonly endpointSliceVersion: string | undefined,
  ) {
    const make = <T extends KubeObject>(path: string): Informer<T> => {
      const informer = new Informer<T>({ ...options.informer, client: options.client, path, logger: options.logger });
      informer.onEvents(() => this.rebuild());
      return informer;
    };
    this.services$ = make('/api/v1/services');
    this.pods$ = make('/api/v1/pods');
    this.namespaces$ = make('/api/v1/namespaces');
    this.slices$ = endpointSliceVersion === undefined ? undefined : make(`/apis/${endpointSliceVersion}/endpointslices`);
  }

  /** Pick the EndpointSlice version and start the informers (await `ready()` for the initial lists). */
  static async start(options: KubeRegistryOptions): Promise<KubeRegistry> {
    const mode = options.endpointSlices ?? 'auto';
    const version =
      mode === 'off' ? undefined : await preferredVersion(options.client, 'discovery.k8s.io', 'endpointslices', mode === 'auto' ? ['v1', 'v1beta1'] : [mode]);
    if (mode !== 'off' && version === undefined) options.logger?.warn({}, 'EndpointSlices not served, using pod status only');
    const registry = new KubeRegistry(options, version === undefined ? undefined : `discovery.k8s.io/${version}`);
    for (const i of registry.all()) i.start();
    return registry;
  }

  async ready(): Promise<void> {
    await Promise.all(this.all().map((i) => i.ready()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.all().map((i) => i.stop()));
    this.listeners.clear();
  }

  /** List/watch counters per informer path (for debug endpoints and tests). */
  informerStats(): Record<string, InformerStats> {
    return Object.fromEntries(this.all().map((i) => [i.path, { ...i.stats }]));
  }

  services(): MeshService[] {
    return [...this.svc.values()];
  }

  workloads(): WorkloadInstance[] {
    return [...this.wl.values()];
  }

  /** A namespace's labels (with `kubernetes.io/metadata.name`, which servers before 1.21 do not set); undefined if unknown. */
  namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined {
    const ns = this.namespaces$.get(undefined, namespace);
    return ns === undefined ? undefined : { 'kubernetes.io/metadata.name': namespace, ...ns.metadata.labels };
  }

  upsertService(_service: MeshService): UpsertAction {
    throw readOnly('upsertService');
  }

  removeService(_namespace: string, _name: string): boolean {
    throw readOnly('removeService');
  }

  upsertWorkload(_workload: WorkloadInstance): UpsertAction {
    throw readOnly('upsertWorkload');
  }

  removeWorkload(_namespace: string, _name: string): boolean {
    throw readOnly('removeWorkload');
  }

  onChange(listener: RegistryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private all(): Informer<KubeObject>[] {
    return [this.services$, this.pods$, this.namespaces$, ...(this.slices$ === undefined ? [] : [this.slices$])];
  }

  /** Recompute services and workloads from the caches and report what changed. */
  private rebuild(): void {
    const pods = this.pods$.list();
    const domainSuffix = this.options.domainSuffix ?? 'cluster.local';
    const endpoints = endpointsByPod(this.slices$?.list() ?? []);
    const svc = sortedMap(this.services$.list().map((s) => toMeshService(s, pods, domainSuffix)));
    const wl = sortedMap(pods.flatMap((p) => toWorkload(p, endpoints.get(`${p.metadata.namespace}/${p.metadata.name}`)) ?? []));
    const changes = [...diff('service', this.svc, svc), ...diff('workload', this.wl, wl)];
    this.svc = svc;
    this.wl = wl;
    for (const change of changes) {
      for (const l of [...this.listeners]) {
        try {
          l(change);
        } catch (err) {
          this.options.logger?.error({ err: errorMessage(err) }, 'registry listener failed');
        }
      }
    }
  }
}

function readOnly(operation: string): TrellisError {
  return new TrellisError('REGISTRY_READ_ONLY', 'the Kubernetes registry is read-only: change the cluster instead', { operation });
}

function sortedMap<T extends Named>(values: readonly T[]): Map<string, T> {
  return new Map([...values].sort((a, b) => keyOf(a).localeCompare(keyOf(b))).map((v) => [keyOf(v), deepFreeze(v)] as const));
}

function diff<T extends Named>(type: RegistryChange['type'], before: ReadonlyMap<string, T>, after: ReadonlyMap<string, T>): RegistryChange[] {
  const out: RegistryChange[] = [];
  for (const [key, v] of after) {
    const previous = before.get(key);
    if (previous === undefined) out.push({ type, action: 'created', namespace: v.namespace, name: v.name });
    else if (canonicalJson(previous) !== canonicalJson(v)) out.push({ type, action: 'configured', namespace: v.namespace, name: v.name });
  }
  for (const [key, v] of before) if (!after.has(key)) out.push({ type, action: 'removed', namespace: v.namespace, name: v.name });
  return out;
}
