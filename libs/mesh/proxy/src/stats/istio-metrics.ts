import type { IstioMetricOverride } from '@trellis/mesh-envoy';
import { Histogram } from './histogram';
import { SeriesLabels } from './label-text';
import { type EdgeFacts, type Reporter, peerLabelValues, securityPolicy } from './istio-labels';
import type { WorkloadInfo } from './workload';

/**
 * The standard metrics' store (Istio's stats filter, one per proxy). Series are found through nested
 * maps keyed by what a request already holds — the interned peer object, the cluster's service host,
 * the principals' strings, the flags string, a number for code/protocol/gRPC status — so recording
 * builds no string; label values are resolved once per new edge (istio-labels.ts) and rendered only
 * at scrape time (istio-render.ts).
 */

/** One HTTP series: counter + three histograms (duration ms, request bytes, response bytes). */
export class HttpSeries {
  requests = 0;
  /** gRPC only (request_protocol="grpc"): istio_request_messages_total / istio_response_messages_total. */
  requestMessages = 0;
  responseMessages = 0;
  readonly duration = new Histogram();
  readonly requestBytes = new Histogram();
  readonly responseBytes = new Histogram();
  /** Rendered label text per metric (label-text.ts), made on the first scrape that sees the series. */
  readonly labels: SeriesLabels = new SeriesLabels();
  constructor(readonly tail: readonly string[]) {}
}

/** One TCP series: Istio's four TCP counters. */
export class TcpSeries {
  opened = 0;
  closed = 0;
  sent = 0;
  received = 0;
  readonly labels: SeriesLabels = new SeriesLabels();
  constructor(readonly tail: readonly string[]) {}
}

/** An edge: the 20 peer labels resolved, and its series by flags and code. */
export class Edge {
  readonly http = new Map<string, Map<number, HttpSeries>>();
  readonly tcp = new Map<string, TcpSeries>();
  readonly policy: string;
  constructor(
    readonly values: readonly string[],
    facts: EdgeFacts,
  ) {
    this.policy = securityPolicy(facts);
  }

  /** `code` = the response code; `grpcStatus` = -1 for plain HTTP (or a gRPC response without status). */
  httpSeries(flags: string, code: number, grpc: boolean, grpcStatus: number): HttpSeries {
    let byCode = this.http.get(flags);
    if (byCode === undefined) this.http.set(flags, (byCode = new Map()));
    const key = code * 64 + (grpcStatus + 1) * 2 + (grpc ? 1 : 0);
    let s = byCode.get(key);
    if (s === undefined) {
      const status = grpc && grpcStatus >= 0 ? String(grpcStatus) : '';
      byCode.set(key, (s = new HttpSeries([grpc ? 'grpc' : 'http', String(code), status, flags, this.policy])));
    }
    return s;
  }

  tcpSeries(flags: string): TcpSeries {
    let s = this.tcp.get(flags);
    if (s === undefined) this.tcp.set(flags, (s = new TcpSeries(['tcp', flags, this.policy])));
    return s;
  }
}

/** The Telemetry API overrides of one filter config: dropped metrics, removed labels (dimensions by CEL are not evaluated). */
export interface CompiledOverrides {
  readonly key: string;
  readonly drop: ReadonlySet<string>;
  readonly removeTags: ReadonlyMap<string, ReadonlySet<string>>;
}

export const NO_OVERRIDES: CompiledOverrides = { key: '', drop: new Set(), removeTags: new Map() };

/** MetricConfig list → per-metric drops and removed tags; an empty `name` applies to every metric. */
export function compileOverrides(metrics: readonly IstioMetricOverride[], all: readonly string[]): CompiledOverrides {
  if (metrics.length === 0) return NO_OVERRIDES;
  const drop = new Set<string>();
  const removeTags = new Map<string, Set<string>>();
  for (const m of metrics) {
    const names = m.name === undefined || m.name === '' ? all : [m.name];
    for (const name of names) {
      if (m.drop === true) drop.add(name);
      for (const tag of m.tags_to_remove ?? []) {
        let set = removeTags.get(name);
        if (set === undefined) removeTags.set(name, (set = new Set()));
        set.add(tag);
      }
    }
  }
  return { key: JSON.stringify(metrics), drop, removeTags };
}

const NO_PEER = {};
type Level<T> = Map<unknown, T>;

function level<T>(m: Level<T>, key: unknown, make: () => T): T {
  let v = m.get(key);
  if (v === undefined) m.set(key, (v = make()));
  return v;
}

/** One reporter + overrides: its edges, found by peer → service host → service name → peer principal → local principal. */
export class StatsScope {
  private readonly edges: Level<Level<Level<Level<Level<Edge>>>>> = new Map();
  readonly all: Edge[] = [];

  constructor(
    readonly reporter: Reporter,
    readonly local: WorkloadInfo,
    readonly overrides: CompiledOverrides,
  ) {}

  edge(peer: WorkloadInfo | undefined, serviceHost: string, serviceName: string, peerPrincipal: string, localPrincipal: string): Edge {
    const byHost = level(this.edges, peer ?? NO_PEER, () => new Map());
    const byName = level(byHost, serviceHost, () => new Map());
    const byPeerSan = level(byName, serviceName, () => new Map());
    const byLocalSan = level(byPeerSan, peerPrincipal, () => new Map<unknown, Edge>());
    let e = byLocalSan.get(localPrincipal);
    if (e === undefined) {
      const facts: EdgeFacts = { reporter: this.reporter, peer, peerPrincipal, localPrincipal, serviceHost, serviceName };
      byLocalSan.set(localPrincipal, (e = new Edge(peerLabelValues(this.local, facts), facts)));
      this.all.push(e);
    }
    return e;
  }
}

/** Every scope of the proxy (what /stats/prometheus renders). */
export class IstioMetrics {
  private readonly scopes = new Map<string, StatsScope>();

  constructor(readonly local: WorkloadInfo) {}

  scope(reporter: Reporter, overrides: CompiledOverrides): StatsScope {
    const key = `${reporter}\u0000${overrides.key}`;
    let s = this.scopes.get(key);
    if (s === undefined) this.scopes.set(key, (s = new StatsScope(reporter, this.local, overrides)));
    return s;
  }

  all(): IterableIterator<StatsScope> {
    return this.scopes.values();
  }
}
