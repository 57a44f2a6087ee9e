import { collectConfigs, type IstioConfig, type MeshSnapshot } from '@trellis/mesh-api';
import type { ConfigStore } from '../store/config-store';
import type { ServiceRegistry } from '../registry/service-registry';
import type { CredentialSource } from '../secrets/credential-source';
import type { MeshConfigSource } from '../mesh-config/mesh-config-source';
import type { JwksSource } from '../jwks/jwks-resolver';
import type { GatewayApiResult } from '@trellis/mesh-gateway-api';
import { convertForSnapshot, type GatewayApiSource } from './gateway-api-source';

export interface SnapshotBuilderOptions {
  store: ConfigStore;
  registry: ServiceRegistry;
  /** Gateway credentials (local secret store or the Secret informer); absent = none. */
  credentials?: CredentialSource;
  /** Istio's MeshConfig (mesh.yaml or the `istio` ConfigMap); absent = the snapshot carries none. */
  meshConfig?: MeshConfigSource;
  /** JWKS fetched for RequestAuthentications (the control plane's resolver); absent = none fetched. */
  jwks?: JwksSource;
  /** Namespaces and Gateway addresses for the Gateway API conversion; absent = derived from config, none known. */
  gatewayApi?: GatewayApiSource;
  domainSuffix?: string;
  rootNamespace?: string;
}

export type SnapshotListener = (snapshot: MeshSnapshot) => void;

/** Istio's order for config precedence: oldest first, then namespace/name. */
function byCreation(a: IstioConfig, b: IstioConfig): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  return `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(`${b.metadata.namespace}/${b.metadata.name}`);
}

/**
 * Combines a config store and a service registry into immutable MeshSnapshot values. Every
 * store or registry change produces a new snapshot with the next revision, and notifies listeners.
 */
export class SnapshotBuilder {
  private snapshot: MeshSnapshot;
  private gatewayApiResult: GatewayApiResult = { configs: [], status: [], deployments: [] };
  private readonly listeners = new Set<SnapshotListener>();
  private readonly unsubscribe: (() => void)[];

  constructor(private readonly options: SnapshotBuilderOptions) {
    this.snapshot = this.build(1);
    this.unsubscribe = [options.store.onChange(() => this.rebuild()), options.registry.onChange(() => this.rebuild())];
    if (options.credentials !== undefined) this.unsubscribe.push(options.credentials.onChange(() => this.rebuild()));
    for (const source of [options.meshConfig, options.jwks, options.gatewayApi]) if (source !== undefined) this.unsubscribe.push(source.onChange(() => this.rebuild()));
  }

  current(): MeshSnapshot {
    return this.snapshot;
  }

  /** The Gateway API conversion behind the current snapshot: status to write back, gateways to deploy. */
  gatewayApi(): GatewayApiResult {
    return this.gatewayApiResult;
  }

  onChange(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stop following the store and the registry. */
  close(): void {
    for (const u of this.unsubscribe) u();
    this.listeners.clear();
  }

  private rebuild(): void {
    this.snapshot = this.build(this.snapshot.revision + 1);
    for (const l of [...this.listeners]) l(this.snapshot);
  }

  private build(revision: number): MeshSnapshot {
    const stored = this.options.store.list();
    const services = this.options.registry.services();
    const domainSuffix = this.options.domainSuffix ?? 'cluster.local';
    // Gateway API objects reach translate as istiod feeds them: converted to Istio Gateways + VirtualServices
    this.gatewayApiResult = convertForSnapshot(stored, services, domainSuffix, this.options.gatewayApi);
    const c = collectConfigs([...stored, ...this.gatewayApiResult.configs].sort(byCreation));
    const meshConfig = this.options.meshConfig?.meshConfig();
    return Object.freeze({
      revision,
      domainSuffix,
      rootNamespace: this.options.rootNamespace ?? meshConfig?.rootNamespace ?? 'istio-system',
      gateways: Object.freeze(c.gateways),
      virtualServices: Object.freeze(c.virtualServices),
      destinationRules: Object.freeze(c.destinationRules),
      serviceEntries: Object.freeze(c.serviceEntries),
      sidecars: Object.freeze(c.sidecars),
      peerAuthentications: Object.freeze(c.peerAuthentications),
      authorizationPolicies: Object.freeze(c.authorizationPolicies),
      requestAuthentications: Object.freeze(c.requestAuthentications),
      telemetries: Object.freeze(c.telemetries),
      envoyFilters: Object.freeze(c.envoyFilters),
      services: Object.freeze(services),
      workloads: Object.freeze(this.options.registry.workloads()),
      credentials: this.options.credentials?.credentials() ?? [],
      ...(meshConfig === undefined ? {} : { meshConfig }),
      ...(this.options.jwks === undefined ? {} : { jwks: this.options.jwks.jwks() }),
    });
  }
}
