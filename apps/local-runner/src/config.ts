import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { defaultHttpbinBinary, KIALI_PORT, KUBELET_BACKOFF, type LocalStackConfig } from '@trellis/mesh-local';
import { envOptional, type Env } from '@trellis/shared';
import { parseWith, sampleManifests, type WithItem } from './with-option';

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('not a port number');
  return port;
}

function parseBlock(value: string): string {
  const m = /^127\.(\d{1,3})\.(\d{1,3})$/.exec(value);
  if (!m || Number(m[1]) > 255 || Number(m[2]) > 255) throw new InvalidArgumentError('expected a loopback /24 prefix like 127.0.10');
  return value;
}

/**
 * `--with <variant>`: the extra manifests Istio's docs apply next to bookinfo.yaml for it, read as
 * `kubectl apply -f` would read them (so local mode and the cluster run the same files).
 */
export const VARIANTS: Readonly<Record<string, readonly string[]>> = {
  mysql: ['bookinfo-mysql.yaml', 'bookinfo-ratings-v2-mysql.yaml'],
  // the Gateway API tasks' "define versions" step: per-version Services (reviews-v1, …) for HTTPRoute backendRefs
  versions: ['bookinfo-versions.yaml'],
};

/** A duration as `10s`, `500ms`, `1m` (Go's style, as the kubelet's flags take them). */
function parseDuration(value: string): number {
  const m = /^(\d+)(ms|s|m)$/.exec(value);
  if (!m) throw new InvalidArgumentError('expected a duration like 10s, 500ms or 1m');
  const ms = Number(m[1]) * (m[2] === 'ms' ? 1 : m[2] === 's' ? 1000 : 60_000);
  if (ms < 1 || ms > KUBELET_BACKOFF.maxMs) throw new InvalidArgumentError('expected a duration between 1ms and 5m');
  return ms;
}

const parseVariant = (value: string, previous: WithItem[]): WithItem[] => parseWith(value, previous, Object.keys(VARIANTS));

/**
 * Env values go through the flag's parser, so a bad TRELLIS_PORT is rejected like a bad --port.
 * (A plain Error: commander did not print this one, the caller has to.)
 */
function fromEnv<T>(env: Env, name: string, parse: (value: string) => T, fallback: T): T {
  const value = envOptional(env, name);
  if (value === undefined) return fallback;
  try {
    return parse(value);
  } catch (err) {
    throw new Error(`${name}=${value}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** `npm start -- [flags]`: flags, then env, then defaults — read once, here. */
export function readConfig(argv: readonly string[], env: Env, repoRoot: string): LocalStackConfig {
  const program = new Command('trellis-local')
    .description('Run Bookinfo on the Trellis mesh locally: control plane, ingress gateway, six workloads with sidecars')
    .option('-p, --port <port>', 'ingress gateway port on the host', parsePort, fromEnv(env, 'TRELLIS_PORT', parsePort, 8080))
    .option('--https-port <port>', 'host port of the ingress gateway’s HTTPS port 8443 (Gateway servers on 443): SECURE_INGRESS_PORT', parsePort, fromEnv(env, 'TRELLIS_HTTPS_PORT', parsePort, 8443))
    .option('--host <address>', 'ingress gateway address on the host', envOptional(env, 'TRELLIS_HOST') ?? '127.0.0.1')
    .option('--state-dir <dir>', 'where applied config and logs live', envOptional(env, 'TRELLIS_STATE_DIR') ?? '.trellis')
    .option('--reset', 'forget applied config and start clean', false)
    .option('--address-block <prefix>', 'loopback /24 for the pods', parseBlock, fromEnv(env, 'TRELLIS_ADDRESS_BLOCK', parseBlock, '127.0.10'))
    .option('--log-level <level>', 'log level of the components', envOptional(env, 'LOG_LEVEL') ?? 'info')
    .option('--access-log', 'proxies write Envoy-style access logs', false)
    .option('--with <items>', 'also run a Bookinfo variant: mysql (bookinfo-mysql.yaml + bookinfo-ratings-v2-mysql.yaml; needs mariadb-server), versions (bookinfo-versions.yaml), or Istio samples: httpbin, sleep, curl, extauthz, jwt-server, ratelimit (Redis + the rate limit service; needs redis-server)[@<namespace>][:nosidecar], comma-separated', parseVariant, [])
    .option('--kiali-port <port>', 'host port of the Kiali addon (http://<host>:<port>/kiali)', parsePort, fromEnv(env, 'TRELLIS_KIALI_PORT', parsePort, KIALI_PORT))
    .option('--no-kiali', 'do not start the Kiali addon')
    .option('--ready-timeout <duration>', 'how long each process may take to become ready before npm start gives up (a loaded machine needs more)', parseDuration, fromEnv(env, 'TRELLIS_READY_TIMEOUT', parseDuration, 60_000))
    .option('--restart-backoff <duration>', 'first wait before a crashed process is restarted, doubling up to 5m (the kubelet: 10s)', parseDuration, fromEnv(env, 'TRELLIS_RESTART_BACKOFF', parseDuration, KUBELET_BACKOFF.initialMs))
    .exitOverride()
    .parse([...argv], { from: 'user' });
  const o = program.opts<{ port: number; httpsPort: number; host: string; stateDir: string; reset: boolean; addressBlock: string; logLevel: string; accessLog: boolean; with: WithItem[]; kiali: boolean; kialiPort: number; restartBackoff: number; readyTimeout: number }>();
  const kube = path.join(repoRoot, 'samples/bookinfo/platform/kube');
  const samples = sampleManifests(o.with, repoRoot);
  return {
    distDir: path.join(repoRoot, 'dist'),
    stateDir: path.resolve(o.stateDir),
    reset: o.reset,
    gatewayHost: o.host,
    gatewayPort: o.port,
    gatewayHttpsPort: o.httpsPort,
    addressBlock: o.addressBlock,
    manifestPaths: ['bookinfo.yaml', ...o.with.flatMap((v) => VARIANTS[v.name] ?? [])].map((f) => path.join(kube, f)),
    mysqlInitScript: path.join(repoRoot, 'samples/bookinfo/src/mysql/mysqldb-init.sql'),
    initialConfig: [path.join(repoRoot, 'samples/bookinfo/networking/bookinfo-gateway.yaml')],
    logLevel: o.logLevel,
    accessLog: o.accessLog,
    readyTimeoutMs: o.readyTimeout,
    restartBackoff: { ...KUBELET_BACKOFF, initialMs: o.restartBackoff },
    ...(o.kiali && { kiali: { host: o.host, port: o.kialiPort } }),
    ...(samples.length > 0 && { samples: { manifests: samples, httpbinBinary: envOptional(env, 'TRELLIS_HTTPBIN') ?? defaultHttpbinBinary(env) } }),
  };
}
