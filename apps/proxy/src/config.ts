import { commander, invalidArgument } from './start-up-modules';
import { envOptional, parseLogLevel, type Env } from '@trellis/shared';
import type { LevelWithSilent } from 'pino';
import { PROMETHEUS_ANNOTATIONS_ENV } from '@trellis/mesh-proxy';
import { identityConfig, identityOptions, type IdentityConfig, type IdentityFlags } from './identity-config';

/** The proxy's whole configuration ("bootstrap"), read once from flags and env. */
export interface ProxyConfig {
  readonly mode: 'sidecar' | 'router';
  /** Control plane ADS address, `host:port`. */
  readonly xdsAddress: string;
  /** The pod's address (the node id's IP; with `opsBind: 'instance-ip'` the ops ports bind here). */
  readonly ip: string;
  readonly podName: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly serviceAccount: string;
  readonly interception: 'REDIRECT' | 'NONE';
  /** targetPort → `host:port` where the app listens (local mode). */
  readonly appEndpoints: Record<string, string>;
  /** Listener port → host address to bind instead (local mode's "port mapping" for the gateway). */
  readonly publish: Record<string, { host: string; port: number }>;
  /** How the ops ports bind: Istio's way (a pod owns its network namespace) or all on `ip` (local mode). */
  readonly opsBind: OpsBind;
  readonly adminHost: string;
  readonly adminPort: number;
  /** Health (`/healthz/ready`): the kubelet probes the pod IP, trellis-proxy-wait 127.0.0.1. */
  readonly statusHost: string;
  readonly statusPort: number;
  readonly prometheusHost: string;
  readonly prometheusPort: number;
  /** pilot-agent's status port (merged `/stats/prometheus`: agent + proxy + app), bound on `statusHost`. */
  readonly agentPort: number;
  /** ISTIO_PROMETHEUS_ANNOTATIONS: the app's own `prometheus.io/*` the injector moved here (JSON), scraped into 15020. */
  readonly prometheusAnnotations?: string;
  readonly accessLog: boolean;
  readonly drainMs: number;
  readonly logLevel: LevelWithSilent;
  /**
   * Private Node APIs behind the proxy's seam (libs/mesh/proxy/src/unsafe): used when present in the
   * expected shape (`on`, the default); `off` forces their public fallbacks. Pass as
   * `createProxy({ privateApis })`.
   */
  readonly privateApis: boolean;
  /** ADS protocol: `delta` (DeltaAggregatedResources, default, as Istio's ISTIO_DELTA_XDS=true) or `sotw`. */
  readonly xdsProtocol: 'delta' | 'sotw';
  /** The workload-identity agent (certificates from the CA); `identity.caAddress` undefined = none. */
  readonly identity: IdentityConfig;
  /** PROXY_CONFIG (JSON of the pod's `proxy.istio.io/config`), passed on as node metadata. */
  readonly proxyConfig?: string;
  /** `ISTIO_META_<KEY>` environment variables as node metadata `<KEY>` (pilot-agent's rule; e.g. HTTP10=1). */
  readonly istioMeta?: Readonly<Record<string, string>>;
}

function pairs(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of value.split(',').filter(Boolean)) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? '' : part.slice(0, eq);
    const v = eq < 0 ? '' : part.slice(eq + 1);
    if (!k || !v) throw invalidArgument(`expected key=value, got "${part}"`);
    out[k] = v;
  }
  return out;
}

function labels(value: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
  } catch {
    return pairs(value);
  }
  throw invalidArgument('labels must be a JSON object or k=v,k=v');
}

function publish(value: string): ProxyConfig['publish'] {
  const out: Record<string, { host: string; port: number }> = {};
  for (const [listenerPort, target] of Object.entries(pairs(value))) {
    const i = target.lastIndexOf(':');
    const port = Number(target.slice(i + 1));
    if (!/^\d+$/.test(listenerPort) || i <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
      throw invalidArgument(`expected port=host:port, got "${listenerPort}=${target}"`);
    }
    out[listenerPort] = { host: target.slice(0, i), port };
  }
  return out;
}

function millis(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw invalidArgument('not a duration in milliseconds');
  return n;
}

/** Istio's INTERCEPTION_MODE; TPROXY captures like REDIRECT as far as this proxy is concerned. */
function interceptionMode(value: string): 'REDIRECT' | 'NONE' {
  if (value === 'REDIRECT' || value === 'NONE') return value;
  if (value === 'TPROXY') return 'REDIRECT';
  throw invalidArgument('interception must be REDIRECT, TPROXY or NONE');
}

/**
 * `istio`: as Envoy under pilot-agent in a pod, health (15021) and Prometheus (15090) listen on every
 * address and admin (15000) on loopback only. `instance-ip`: all three on the pod address, for
 * local mode, where many proxies share the host and each owns one loopback address.
 */
export type OpsBind = 'istio' | 'instance-ip';

function opsBind(value: string): OpsBind {
  if (value === 'istio' || value === 'instance-ip') return value;
  throw invalidArgument('ops-bind must be istio or instance-ip');
}

type OpsHosts = Pick<ProxyConfig, 'adminHost' | 'statusHost' | 'prometheusHost'>;

function opsHosts(bind: OpsBind, ip: string): OpsHosts {
  if (bind === 'instance-ip') return { adminHost: ip, statusHost: ip, prometheusHost: ip };
  const v6 = ip.includes(':');
  const any = v6 ? '::' : '0.0.0.0';
  return { adminHost: v6 ? '::1' : '127.0.0.1', statusHost: any, prometheusHost: any };
}

function onOff(value: string): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  throw invalidArgument('must be on or off');
}

function xdsProtocol(value: string): 'delta' | 'sotw' {
  if (value === 'delta' || value === 'sotw') return value;
  throw invalidArgument('must be delta or sotw');
}

/** Istio's ISTIO_DELTA_XDS (true/false) as the default of --xds-protocol. */
function deltaXds(value: string): 'delta' | 'sotw' {
  if (value === 'true' || value === 'false') return value === 'true' ? 'delta' : 'sotw';
  throw invalidArgument('must be true or false');
}

function mode(value: string): 'sidecar' | 'router' {
  if (value === 'sidecar' || value === 'router') return value;
  throw invalidArgument('mode must be sidecar or router');
}

export function readConfig(argv: readonly string[], env: Env): ProxyConfig {
  const e = (name: string, fallback: string): string => envOptional(env, name) ?? fallback;
  // Env values go through the flag's parser; a bad one is a plain Error (commander did not print it).
  const p = <T>(name: string, parse: (value: string) => T, fallback: string): T => {
    const value = e(name, fallback);
    try {
      return parse(value);
    } catch (err) {
      throw new Error(`${name}=${value}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const command = new (commander().Command)('trellis-proxy')
    .option('--mode <mode>', 'sidecar | router', mode, p('TRELLIS_PROXY_MODE', mode, 'sidecar'))
    .option('--xds-address <host:port>', 'control plane ADS address', e('TRELLIS_XDS_ADDRESS', 'istiod.istio-system.svc:15010'))
    .option('--xds-protocol <delta|sotw>', 'ADS protocol: delta (incremental) or sotw (state of the world)', xdsProtocol, p('ISTIO_DELTA_XDS', deltaXds, 'true'))
    .option('--ip <address>', 'pod address', e('INSTANCE_IP', '127.0.0.1'))
    .option('--pod-name <name>', 'pod name', e('POD_NAME', 'unknown'))
    .option('--namespace <ns>', 'pod namespace', e('POD_NAMESPACE', 'default'))
    .option('--labels <json|k=v,...>', 'pod labels', labels, p('TRELLIS_POD_LABELS', labels, '{}'))
    .option('--service-account <sa>', 'service account', e('SERVICE_ACCOUNT', 'default'))
    .option('--interception <mode>', 'REDIRECT (iptables) | NONE (local mode)', interceptionMode, p('INTERCEPTION_MODE', interceptionMode, 'REDIRECT'))
    .option('--app-endpoints <port=host:port,...>', 'where the app listens', pairs, p('TRELLIS_APP_ENDPOINTS', pairs, ''))
    .option('--publish <port=host:port,...>', 'bind these listener ports on the host instead (repeatable)', (v: string, previous: ProxyConfig['publish']) => ({ ...previous, ...publish(v) }), {})
    .option('--access-log', 'Envoy-style access log on stdout', e('TRELLIS_ACCESS_LOG', 'false') === 'true')
    .option('--drain-ms <ms>', 'drain time on SIGTERM', millis, p('TRELLIS_DRAIN_MS', millis, '5000'))
    .option('--private-apis <on|off>', 'private Node APIs behind their seam (on: when present; off: public fallbacks)', onOff, p('TRELLIS_PRIVATE_APIS', onOff, 'on'))
    .option('--ops-bind <how>', 'admin/health/Prometheus binding: istio (0.0.0.0, admin on 127.0.0.1) | instance-ip (all on --ip; local mode)', opsBind, p('TRELLIS_OPS_BIND', opsBind, 'istio'));
  const all = identityOptions(command, e, p)
    .exitOverride()
    .parse([...argv], { from: 'user' })
    .opts<Omit<ProxyConfig, keyof OpsHosts | 'adminPort' | 'statusPort' | 'prometheusPort' | 'agentPort' | 'logLevel' | 'identity' | 'proxyConfig' | 'prometheusAnnotations' | 'istioMeta'> & IdentityFlags>();
  const { caAddress, caRootCert, tokenFile, trustDomain, workloadCertTtl, graceRatio, graceRatioJitter, eccSignatureAlgorithm, ...o } = all;
  const identity = identityConfig({ caAddress, caRootCert, tokenFile, trustDomain, workloadCertTtl, graceRatio, graceRatioJitter, eccSignatureAlgorithm });
  const ports = { adminPort: 15000, statusPort: 15021, prometheusPort: 15090, agentPort: 15020 };
  const proxyConfig = envOptional(env, 'PROXY_CONFIG');
  const prometheusAnnotations = envOptional(env, PROMETHEUS_ANNOTATIONS_ENV);
  return {
    ...o,
    ...opsHosts(o.opsBind, o.ip),
    ...ports,
    identity,
    logLevel: parseLogLevel(envOptional(env, 'LOG_LEVEL')),
    ...(proxyConfig !== undefined && { proxyConfig }),
    ...(prometheusAnnotations !== undefined && { prometheusAnnotations }),
    ...istioMetaOf(env),
  };
}

/** pilot-agent's node metadata from the environment: `ISTIO_META_<KEY>=<value>` → `<KEY>: <value>`. */
function istioMetaOf(env: Env): { istioMeta?: Record<string, string> } {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (k.startsWith('ISTIO_META_') && k.length > 11 && v !== undefined) out[k.slice(11)] = v;
  return Object.keys(out).length === 0 ? {} : { istioMeta: out };
}

/** Istio's node id: `sidecar~10.244.0.7~reviews-v1-abc-def.default~default.svc.cluster.local`. */
export function nodeId(c: ProxyConfig): string {
  return `${c.mode}~${c.ip}~${c.podName}.${c.namespace}~${c.namespace}.svc.cluster.local`;
}
