import type { ProxyRuntime } from '../runtime';
import type { Cluster, ClusterLoadAssignment } from '../config/envoy-types';
import { invalid } from '../config/proto';
import { type ClusterConfig, type EndpointSpec, compileAssignment, compileCluster } from './cluster-config';
import { ClusterStats } from './cluster-stats';
import { UpstreamCluster } from './upstream-cluster';
import type { TlsEnv } from '../tls/tls-env';
import type { ExchangeEnv } from '../tcp/metadata-exchange';

export interface CompiledClusters {
  readonly configs: readonly ClusterConfig[];
  readonly staticEndpoints: ReadonlyMap<string, EndpointSpec[]>;
}

/** CDS: compile every cluster (throws XDS_INVALID naming the first bad one). */
export function compileClusters(resources: readonly Cluster[], env: TlsEnv = {}): CompiledClusters {
  const configs: ClusterConfig[] = [];
  const staticEndpoints = new Map<string, EndpointSpec[]>();
  const seen = new Set<string>();
  resources.forEach((c, i) => {
    const cfg = compileCluster(c, i, env);
    if (seen.has(cfg.name)) throw invalid(`cluster ${cfg.name}`, 'duplicate name');
    seen.add(cfg.name);
    configs.push(cfg);
    if (cfg.staticAssignment) staticEndpoints.set(cfg.name, compileAssignment(cfg.staticAssignment, `cluster ${cfg.name}`));
  });
  return { configs, staticEndpoints };
}

/** EDS: compile every assignment, keyed by cluster_name (the EDS service name). */
export function compileAssignments(resources: readonly ClusterLoadAssignment[]): Map<string, EndpointSpec[]> {
  const out = new Map<string, EndpointSpec[]>();
  resources.forEach((cla, i) => {
    if (typeof cla.cluster_name !== 'string' || cla.cluster_name === '') throw invalid(`cluster load assignment[${i}]`, 'missing cluster_name');
    out.set(cla.cluster_name, compileAssignment(cla, `cluster load assignment ${cla.cluster_name}`));
  });
  return out;
}

/** The clusters in force: CDS replaces the set, EDS updates hosts (and is remembered for later CDS). */
export class ClusterManager {
  private readonly clusters = new Map<string, UpstreamCluster>();
  private readonly assignments = new Map<string, EndpointSpec[]>();
  private readonly statsByName = new Map<string, ClusterStats>();

  constructor(
    private readonly graceMs: number,
    private readonly runtime: ProxyRuntime,
    /** What upstream metadata exchanges on HTTP pools need (the proxy's node, counters, logger). */
    private readonly exchangeEnv?: ExchangeEnv,
  ) {}

  get(name: string): UpstreamCluster | undefined {
    return this.clusters.get(name);
  }

  all(): IterableIterator<UpstreamCluster> {
    return this.clusters.values();
  }

  applyClusters(compiled: CompiledClusters): void {
    const next = new Map<string, UpstreamCluster>();
    for (const cfg of compiled.configs) {
      let c = this.clusters.get(cfg.name);
      if (c === undefined) c = new UpstreamCluster(cfg, this.stats(cfg.name), this.runtime, this.exchangeEnv);
      else c.reconfigure(cfg);
      next.set(cfg.name, c);
      const specs = compiled.staticEndpoints.get(cfg.name) ?? (cfg.edsName ? this.assignments.get(cfg.edsName) : undefined);
      if (specs !== undefined) c.setEndpoints(specs, this.graceMs);
    }
    for (const [name, c] of this.clusters) if (!next.has(name)) void c.close(this.graceMs);
    this.clusters.clear();
    for (const [k, v] of next) this.clusters.set(k, v);
  }

  applyAssignments(assignments: ReadonlyMap<string, EndpointSpec[]>): void {
    for (const [edsName, specs] of assignments) {
      this.assignments.set(edsName, specs);
      for (const c of this.clusters.values()) if (c.config.edsName === edsName) c.setEndpoints(specs, this.graceMs);
    }
  }

  /** Every EDS cluster has received its assignment (readiness). */
  allAssigned(): boolean {
    for (const c of this.clusters.values()) if (c.config.edsName !== undefined && !c.hasAssignment) return false;
    return true;
  }

  statsEntries(): IterableIterator<[string, ClusterStats]> {
    return this.statsByName.entries();
  }

  async close(): Promise<void> {
    await Promise.all([...this.clusters.values()].map((c) => c.close(this.graceMs)));
    this.clusters.clear();
  }

  private stats(name: string): ClusterStats {
    let s = this.statsByName.get(name);
    if (s === undefined) {
      s = new ClusterStats();
      this.statsByName.set(name, s);
    }
    return s;
  }
}
