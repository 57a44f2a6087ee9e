import type { Logger } from '@trellis/shared';
import { TrellisError } from '@trellis/shared';
import { ConfigStore } from './config/config-store';
import type { Received, Secret } from '@trellis/mesh-envoy';
import type { Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, XdsType } from './config/envoy-types';
import { invalid } from './config/proto';
import { type OpsServers, startOpsServer } from './admin/ops-servers';
import type { StatusOptions } from './admin/merged-metrics';
import { FilterCounters } from './http/counters';
import type { CompileEnv } from './http/filter';
import { type RouteTable, compileRouteTable } from './routing/route-table';
import { type ProxyRuntime, SYSTEM_RUNTIME } from './runtime';
import { AccessLogger, type AccessLogSink } from './http/access-log';
import { fileSinks } from './access-log/sinks';
import { chooseHttp1Codec } from './codec/h1/http1';
import { loadOriginalDst } from './unsafe/original-dst';
import { type ListenerConfig, compileListener } from './listener/listener-config';
import { type BindOverride, type BoundAddress, ListenerManager } from './listener/listener-manager';
import type { ProxyContext } from './proxy-context';
import { TrafficStats } from './http/traffic-stats';
import { HTTP_FILTERS } from './stack';
import { warmingResources } from './warming';
import { ClusterManager, compileAssignments, compileClusters } from './upstream/cluster-manager';
import type { SecretProvider } from './sds/secret-provider';
import { compileAdsSecrets } from './sds/ads-secrets';
import { layeredSecretProvider } from './sds/layered-provider';
import { SecretStore, type SecretInput } from './sds/secret-store';
import { type ProxyNode, UNKNOWN_NODE } from './proxy-node';
import { TracerRegistry } from './tracing/tracer-registry';
import type { FlushPolicy } from './tracing/reporter';

export interface ProxyOptions {
  readonly mode: 'sidecar' | 'router';
  /** Who this proxy is (Istio's node metadata); default UNKNOWN_NODE. */
  readonly node?: ProxyNode;
  readonly logger: Logger;
  /** Where to bind a listener instead of its own address (local mode, tests: port 0). */
  readonly bindOverride?: BindOverride;
  /**
   * The default access log for HCMs whose config asks for none (Istio's TEXT format): true = async stdout;
   * or a sink of your own, which then also receives every configured access_log (tests). Off by default.
   */
  readonly accessLog?: boolean | AccessLogSink;
  /** How long close() and removed listeners wait for in-flight requests. */
  readonly drainMs: number;
  /** POST /quitquitquit; default: close(). */
  readonly onQuit?: () => void;
  /** Chance and time (default: Math.random and the system clocks); tests pass exact ones. */
  readonly runtime?: ProxyRuntime;
  /**
   * Private Node APIs behind the seam (unsafe/): used when present in the expected shape (default
   * true); false forces their public fallbacks (`--private-apis off`, `TRELLIS_PRIVATE_APIS=off`).
   */
  readonly privateApis?: boolean;
  /**
   * SDS secrets by name (`default`, `ROOTCA`) from the workload agent; absent = no workload identity.
   * Secrets sent over ADS (a gateway's `kubernetes://…`) join them in one provider.
   */
  readonly secrets?: SecretProvider;
  /** When span reporters flush (Envoy's tracing.<driver>.min_flush_spans / flush_interval_ms runtime keys); default 5 spans or 5 s. */
  readonly tracingFlush?: FlushPolicy;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface Proxy {
  /**
   * Compile and install one xDS response. Throws TrellisError('XDS_INVALID', reason) synchronously,
   * with nothing changed, for a response the proxy NACKs; each response is compiled once.
   */
  apply(type: XdsType, resources: readonly object[], version?: string): Promise<void>;
  /** First complete config seen: CDS + LDS applied and every RDS/EDS they reference present. */
  isReady(): boolean;
  listenerAddresses(): BoundAddress[];
  startAdmin(at: HostPort): Promise<HostPort>;
  startHealth(at: HostPort): Promise<HostPort>;
  startPrometheus(at: HostPort): Promise<HostPort>;
  /** pilot-agent's status port (15020): merged /stats/prometheus — agent, proxy, then the app's own metrics. */
  startStatus(at: HostPort, options?: StatusOptions): Promise<HostPort>;
  /**
   * Istio's termination drain (SIGTERM): readiness answers 503, listeners keep accepting and answer
   * `connection: close`, idle connections close, HTTP/2 sessions get GOAWAY. close() ends it.
   */
  drain(): void;
  close(): Promise<void>;
}

type Compiled =
  | { type: 'CDS'; value: ReturnType<typeof compileClusters>; names: string[] }
  | { type: 'EDS'; value: ReturnType<typeof compileAssignments>; names: string[] }
  | { type: 'LDS'; value: ListenerConfig[]; names: string[] }
  | { type: 'RDS'; value: RouteTable[]; names: string[] }
  | { type: 'SDS'; value: SecretInput[]; names: string[] };

function uniqueNames(kind: string, names: string[]): string[] {
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) throw invalid(`${kind} ${n}`, 'duplicate name');
    seen.add(n);
  }
  return names;
}

/** Compile a whole xDS response; the first bad resource throws XDS_INVALID naming it. */
function compile(type: XdsType, resources: readonly object[], env: CompileEnv): Compiled {
  if (!Array.isArray(resources)) throw new TrellisError('XDS_INVALID', `${type}: resources must be an array`);
  switch (type) {
    case 'CDS': {
      const value = compileClusters(resources as Cluster[], env.tls);
      return { type, value, names: value.configs.map((c) => c.name) };
    }
    case 'EDS': {
      const value = compileAssignments(resources as ClusterLoadAssignment[]);
      return { type, value, names: [...value.keys()] };
    }
    case 'LDS': {
      const value = (resources as Listener[]).map((l, i) => compileListener(l, i, env));
      return { type, value, names: uniqueNames('listener', value.map((l) => l.name)) };
    }
    case 'RDS': {
      const value = (resources as RouteConfiguration[]).map((r) => compileRouteTable(r, env));
      return { type, value, names: uniqueNames('route config', value.map((r) => r.name)) };
    }
    case 'SDS': {
      const value = compileAdsSecrets(resources as Received<Secret>[]);
      return { type, value, names: value.map((s) => s.name) };
    }
    default:
      throw new TrellisError('XDS_INVALID', `unknown resource type ${String(type)}`);
  }
}

export function createProxy(options: ProxyOptions): Proxy {
  const { logger, drainMs } = options;
  const sink = options.accessLog;
  const runtime = options.runtime ?? SYSTEM_RUNTIME;
  const privateApis = options.privateApis ?? true;
  const http1 = chooseHttp1Codec(privateApis);
  // Wanted but unavailable (a Node upgrade changed it) is worth a warning; chosen off is not.
  logger[privateApis && http1.codec !== 'llhttp' ? 'warn' : 'info']({ http1: http1.codec, reason: http1.reason }, 'downstream HTTP/1.1 codec chosen');
  // Unavailable is the normal case off Linux or without the addon (no toolchain at build time): info, not warn.
  const originalDst = loadOriginalDst({ privateApis });
  logger.info({ originalDst: originalDst.available ? 'SO_ORIGINAL_DST' : 'unavailable', reason: originalDst.available ? undefined : originalDst.reason }, 'original destination reader chosen');
  // Secrets from ADS (gateway credentials) beside the agent's: one provider for every TLS context.
  const adsSecrets = new SecretStore();
  const secrets = layeredSecretProvider(adsSecrets, options.secrets);
  const node = options.node ?? UNKNOWN_NODE;
  const filterCounters = new FilterCounters();
  const ctx: ProxyContext = {
    mode: options.mode,
    node,
    logger,
    clusters: new ClusterManager(drainMs, runtime, { node, filterCounters, logger }),
    routes: new Map(),
    listeners: new Map(),
    listenersByPort: new Map(),
    traffic: new TrafficStats(),
    filterCounters,
    runtime,
    accessLog: sink === true ? AccessLogger.stdout() : sink ? new AccessLogger(sink) : undefined,
    originalDst,
    secrets,
    draining: false,
  };
  const tracers = new TracerRegistry(ctx, options.tracingFlush);
  // access_log paths: the caller's sink for every path when it passed one (tests), else files / stdout.
  const accessLogFiles = fileSinks();
  const accessLogSinks = typeof sink === 'object' ? (): AccessLogSink => sink : accessLogFiles;
  const env: CompileEnv = { registry: HTTP_FILTERS, counters: ctx.filterCounters, runtime, tls: { secrets, logger }, spanSinks: tracers.sink, accessLogSinks };
  const store = new ConfigStore();
  const listeners = new ListenerManager(ctx, drainMs, options.bindOverride, http1);
  const ops: OpsServers[] = [];
  let ready = false;
  let closed: Promise<void> | undefined;

  const isReady = (): boolean => {
    if (ready) return true;
    if (!store.wasApplied('CDS') || !store.wasApplied('LDS') || !ctx.clusters.allAssigned()) return false;
    for (const l of ctx.listeners.values()) {
      const rds = l.hcm?.rdsName;
      if (rds !== undefined && !ctx.routes.has(rds)) return false;
    }
    // Envoy's warming: TLS contexts whose SDS secrets (the workload certificate) have not arrived.
    if (warmingResources(ctx).length > 0) return false;
    ready = true;
    logger.info('proxy ready: initial configuration complete');
    return true;
  };

  const install = (c: Compiled): Promise<void> => {
    if (c.type === 'CDS') ctx.clusters.applyClusters(c.value);
    else if (c.type === 'EDS') ctx.clusters.applyAssignments(c.value);
    else if (c.type === 'RDS') for (const t of c.value) ctx.routes.set(t.name, t);
    else if (c.type === 'SDS') for (const s of c.value) adsSecrets.set(s);
    else return listeners.apply(c.value);
    return Promise.resolve();
  };

  const proxy: Proxy = {
    apply(type, resources, version = '') {
      if (closed !== undefined) throw new TrellisError('PROXY_CLOSED', 'proxy is closed');
      const c = compile(type, resources, env);
      // Secrets are dumped from the provider (keys redacted), never as the raw resources.
      if (c.type !== 'SDS') store.record(type, resources, c.names, version);
      const done = install(c);
      logger.debug({ type, count: c.names.length, version }, 'xds applied');
      return done.finally(() => void isReady());
    },
    isReady,
    listenerAddresses: () => listeners.addresses(),
    startAdmin: (at) => start('admin', at),
    startHealth: (at) => start('health', at),
    startPrometheus: (at) => start('prometheus', at),
    startStatus: (at, status) => start('status', at, status),
    drain() {
      if (ctx.draining) return;
      ctx.draining = true;
      logger.info('draining listeners: readiness 503, still accepting, connection: close');
      listeners.startDrain();
    },
    close() {
      closed ??= shutdown();
      return closed;
    },
  };

  async function start(kind: 'admin' | 'health' | 'prometheus' | 'status', at: HostPort, status?: StatusOptions): Promise<HostPort> {
    const server = await startOpsServer(kind, at, {
      ...(status !== undefined && { status }),
      ctx,
      store,
      isReady,
      isDraining: () => ctx.draining,
      quit: options.onQuit ?? (() => void proxy.close()),
    });
    ops.push(server);
    return server.address;
  }

  async function shutdown(): Promise<void> {
    ctx.draining = true;
    logger.info({ drainMs }, 'draining');
    await listeners.close();
    tracers.close();
    await ctx.clusters.close();
    await Promise.all(ops.map((s) => s.close()));
    ctx.accessLog?.flush();
    accessLogFiles.flush();
  }

  return proxy;
}
