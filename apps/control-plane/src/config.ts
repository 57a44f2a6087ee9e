import path from 'node:path';
import { hostname } from 'node:os';
import { Command, InvalidArgumentError } from 'commander';
import { TrellisError, envOptional, envPort, parseLogLevel, type Env } from '@trellis/shared';
import type { LevelWithSilent } from 'pino';

/** The control plane's whole configuration, read once from flags and env. */
export interface ControlPlaneConfig {
  readonly host: string;
  /** xDS gRPC, plaintext (Istio: 15010). */
  readonly xdsPort: number;
  /** HTTP: config API, registry API, debug, metrics, readiness (Istio: 15014). */
  readonly httpPort: number;
  /** File config store directory (`<stateDir>/config`). */
  readonly stateDir: string;
  readonly debounceQuietMs: number;
  readonly debounceMaxMs: number;
  readonly logLevel: LevelWithSilent;
  /** Kubernetes mode (config from CRDs, registry from the API) when set; local mode otherwise. */
  readonly kube?: KubeModeConfig;
  /**
   * Private grpc-js APIs behind the xDS server's seam (libs/mesh/xds/src/unsafe): used when present
   * in the expected shape (`--private-apis on`, the default); `off` forces the public path.
   */
  readonly privateApis: boolean;
  /** The certificate authority (istiod's 15012); undefined = none (see `caDefaultPort`). */
  readonly ca?: CaConfig;
  /**
   * Istio mTLS in the pushed config (PeerAuthentication chains, ISTIO_MUTUAL, auto mTLS): the
   * translator's one switch (`--mtls on|off`, TRELLIS_MTLS). Default: on when this control plane runs
   * its CA (local mode on Istio's ports, the cluster deployment), as Istio's default is; off otherwise,
   * since proxies without a CA could not hold the certificates mTLS needs.
   */
  readonly mtls?: boolean;
  /** SPIFFE trust domain of workload identities (also the CA's); default cluster.local. */
  readonly trustDomain?: string;
  /** Local mode: Istio's MeshConfig as YAML, watched (`--mesh-config`, default `<stateDir>/mesh.yaml`). Kube mode reads the `istio` ConfigMap. */
  readonly meshConfigFile?: string;
  /** How often fetched JWKS are refreshed (`--jwks-refresh`, istiod: 20m). */
  readonly jwksRefreshMs?: number;
  /** istiod's `PILOT_HTTP10` (environment only, as there): every proxy accepts HTTP/1.0. */
  readonly http10?: boolean;
}

export interface CaConfig {
  /** gRPC over TLS (Istio: 15012); 0 = ephemeral. */
  readonly port: number;
  /** SPIFFE trust domain and the self-signed root's organization (Istio: `cluster.local`). */
  readonly trustDomain: string;
  /** Local mode: plugged-in `cacerts` directory (Istio mounts the Secret at `./etc/cacerts`). */
  readonly pluggedInDir: string;
  /** Namespace of the control plane: its Secrets, and the serving certificate's DNS names. */
  readonly namespace: string;
}

export interface KubeModeConfig {
  /** Kubeconfig file; unset = `$KUBECONFIG`, `~/.kube/config` or in-cluster. */
  readonly kubeconfig?: string;
  /** Injector webhook port (Istio: 15017); 0 = don't run the injector. */
  readonly webhookPort: number;
  /** Out-of-cluster webhook URL (tests): the apiserver calls this instead of the istiod Service. */
  readonly webhookUrl?: string;
  readonly proxyImage: string;
  /** The control plane's namespace (POD_NAMESPACE): its `istio` MeshConfig ConfigMap and its leader-election Leases. */
  readonly namespace: string;
  /** This replica in leader election (POD_NAME; else `<hostname>-<pid>`). */
  readonly identity: string;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port number');
  return n;
}

function millis(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('not a duration in milliseconds');
  return n;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go-style durations (`20m`, `90s`, `1h30m`, `500ms`), as istiod's PILOT_JWT_PUB_KEY_REFRESH_INTERVAL. */
function duration(value: string): number {
  const parts = [...value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== value) throw new InvalidArgumentError('not a duration (e.g. 20m, 90s)');
  const ms = parts.reduce((sum, p) => sum + Number(p[1]) * (DURATION_UNITS[p[2] ?? 's'] ?? 1000), 0);
  if (ms <= 0) throw new InvalidArgumentError('must be longer than 0');
  return ms;
}

function onOff(value: string): boolean {
  if (value === 'on' || value === 'off') return value === 'on';
  throw new InvalidArgumentError('must be on or off');
}

function portOrOff(value: string): number | 'off' {
  return value === 'off' ? 'off' : port(value);
}

/**
 * Istio's 15012 when the control plane runs on Istio's ports in local mode (`npm start`); off when
 * it runs on other ports (tests start many control planes side by side) and in Kubernetes mode
 * until the deploy manifests grant the CA's RBAC; `--ca-port` / `TRELLIS_CA_PORT` decide otherwise.
 */
function caDefaultPort(xdsPort: number, registry: string): number | 'off' {
  return registry === 'local' && xdsPort === 15010 ? 15012 : 'off';
}

function envOnOff(env: Env, name: string, fallback: boolean): boolean {
  return envOnOffOptional(env, name) ?? fallback;
}

function envOnOffOptional(env: Env, name: string): boolean | undefined {
  const raw = envOptional(env, name);
  if (raw === undefined) return undefined;
  if (raw !== 'on' && raw !== 'off') throw new TrellisError('CONFIG_INVALID', 'expected on or off in environment', { variable: name, value: raw });
  return raw === 'on';
}

export function readConfig(argv: readonly string[], env: Env): ControlPlaneConfig {
  const o = new Command('trellis-control-plane')
    .option('--host <address>', 'listen address', envOptional(env, 'TRELLIS_HOST') ?? '0.0.0.0')
    .option('--xds-port <port>', 'xDS (ADS) gRPC port', port, envPort(env, 'TRELLIS_XDS_PORT', 15010))
    .option('--http-port <port>', 'HTTP API, debug and metrics port', port, envPort(env, 'TRELLIS_HTTP_PORT', 15014))
    .option('--state-dir <dir>', 'file config store directory', envOptional(env, 'TRELLIS_STATE_DIR') ?? '.trellis')
    .option('--debounce-quiet <ms>', 'push after this much quiet', millis, 100)
    .option('--debounce-max <ms>', 'push at the latest after this long', millis, 10000)
    .option('--registry <kind>', 'local (embedded, file-backed) | kube (Kubernetes API)', envOptional(env, 'TRELLIS_REGISTRY') ?? 'local')
    .option('--kubeconfig <file>', 'kubeconfig for kube mode (default: KUBECONFIG, ~/.kube/config, in-cluster)', envOptional(env, 'KUBECONFIG'))
    .option('--webhook-port <port>', 'sidecar injector webhook port (kube mode; 0 = off)', port, envPort(env, 'TRELLIS_WEBHOOK_PORT', 15017))
    .option('--webhook-url <url>', 'URL the apiserver calls for injection (default: the istiod Service)', envOptional(env, 'TRELLIS_WEBHOOK_URL'))
    .option('--proxy-image <image>', 'sidecar image the injector adds', envOptional(env, 'TRELLIS_PROXY_IMAGE') ?? 'trellis/proxy:dev')
    .option('--ca-port <port|off>', 'certificate authority gRPC/TLS port (default: 15012 in local mode on Istio ports, else off)', portOrOff, caPortEnv(env))
    .option('--trust-domain <domain>', 'SPIFFE trust domain of workload certificates', envOptional(env, 'TRELLIS_TRUST_DOMAIN') ?? 'cluster.local')
    .option('--cacerts-dir <dir>', 'plugged-in CA files (ca-cert.pem, ca-key.pem, cert-chain.pem, root-cert.pem); default <state dir>/cacerts', envOptional(env, 'TRELLIS_CACERTS_DIR'))
    .option('--mtls <on|off>', 'emit Istio mTLS (PeerAuthentication, ISTIO_MUTUAL, auto mTLS) in the pushed config (default: on when the CA runs)', onOff, envOnOffOptional(env, 'TRELLIS_MTLS'))
    .option('--mesh-config <file>', "Istio MeshConfig YAML, watched (local mode; default <state dir>/mesh.yaml; kube mode reads the istio ConfigMap)", envOptional(env, 'TRELLIS_MESH_CONFIG'))
    .option('--jwks-refresh <duration>', 'refresh interval of the JWKS fetched for RequestAuthentication jwksUri', duration, envDuration(env, 'TRELLIS_JWKS_REFRESH'))
    .option('--private-apis <on|off>', 'private grpc-js APIs behind their seam (on: when present; off: public path)', onOff, envOnOff(env, 'TRELLIS_PRIVATE_APIS', true))
    .exitOverride()
    .parse([...argv], { from: 'user' })
    .opts<Options>();
  if (o.registry !== 'local' && o.registry !== 'kube') throw new Error(`--registry must be local or kube, got "${o.registry}"`);
  const stateDir = path.resolve(o.stateDir);
  const caPort = o.caPort ?? caDefaultPort(o.xdsPort, o.registry);
  const ca: CaConfig | undefined =
    caPort === 'off'
      ? undefined
      : { port: caPort, trustDomain: o.trustDomain, pluggedInDir: path.resolve(o.cacertsDir ?? path.join(stateDir, 'cacerts')), namespace: envOptional(env, 'POD_NAMESPACE') ?? 'istio-system' };
  return {
    host: o.host,
    xdsPort: o.xdsPort,
    httpPort: o.httpPort,
    stateDir,
    debounceQuietMs: o.debounceQuiet,
    debounceMaxMs: o.debounceMax,
    logLevel: parseLogLevel(envOptional(env, 'LOG_LEVEL')),
    kube: o.registry === 'kube' ? { kubeconfig: o.kubeconfig, webhookPort: o.webhookPort, webhookUrl: o.webhookUrl, proxyImage: o.proxyImage, namespace: envOptional(env, 'POD_NAMESPACE') ?? 'istio-system', identity: envOptional(env, 'POD_NAME') ?? `${hostname()}-${process.pid}` } : undefined,
    privateApis: o.privateApis,
    // Istio's default is mTLS on (PERMISSIVE + auto mTLS); workloads can only hold certificates when the CA runs.
    mtls: o.mtls ?? ca !== undefined,
    trustDomain: o.trustDomain,
    ...(ca === undefined ? {} : { ca }),
    ...(o.registry === 'local' ? { meshConfigFile: path.resolve(o.meshConfig ?? path.join(stateDir, 'mesh.yaml')) } : {}),
    ...(o.jwksRefresh === undefined ? {} : { jwksRefreshMs: o.jwksRefresh }),
    ...(envGoBool(env, 'PILOT_HTTP10') && { http10: true }),
  };
}

/** A boolean environment variable as Go's strconv.ParseBool reads istiod's (unset or unparsable: false). */
function envGoBool(env: Env, name: string): boolean {
  return ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(envOptional(env, name) ?? '');
}

function envDuration(env: Env, name: string): number | undefined {
  const raw = envOptional(env, name);
  if (raw === undefined) return undefined;
  try {
    return duration(raw);
  } catch {
    throw new TrellisError('CONFIG_INVALID', 'expected a duration (e.g. 20m) in environment', { variable: name, value: raw });
  }
}

function caPortEnv(env: Env): number | 'off' | undefined {
  const raw = envOptional(env, 'TRELLIS_CA_PORT');
  if (raw === undefined) return undefined;
  if (raw === 'off') return 'off';
  return envPort(env, 'TRELLIS_CA_PORT', 15012);
}

interface Options {
  host: string;
  xdsPort: number;
  httpPort: number;
  stateDir: string;
  debounceQuiet: number;
  debounceMax: number;
  registry: string;
  kubeconfig?: string;
  webhookPort: number;
  webhookUrl?: string;
  proxyImage: string;
  privateApis: boolean;
  mtls?: boolean;
  caPort?: number | 'off';
  trustDomain: string;
  cacertsDir?: string;
  meshConfig?: string;
  jwksRefresh?: number;
}
