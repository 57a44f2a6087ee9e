/**
 * Real-process test harness: the built control plane and proxies (dist/apps/<name>/main.js) on a
 * random loopback /24, real node:http upstreams, a steady load generator and HTTP API helpers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ProxySyncStatus } from '@trellis/mesh-xds';

export const ROOT = path.resolve(__dirname, '../../../..');

/** A random loopback /24 like `127.173.42` (tests own every address and port in it). */
export function randomBlock(): string {
  const b = 100 + Math.floor(Math.random() * 150);
  const c = 1 + Math.floor(Math.random() * 250);
  return `127.${b}.${c}`;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export interface Proc {
  readonly name: string;
  readonly child: ChildProcess;
  /** The last few KB of stderr, for failure messages. */
  stderr(): string;
  /** Resolves with the exit code (or the signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
}

/** Starts a built app; stdout is discarded, stderr is kept (tail) for diagnostics. */
export function startApp(app: string, name: string, args: readonly string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/apps', app, 'main.js'), ...args], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-8000);
  });
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { name, child, stderr: () => tail, exited };
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves with how the process ended. */
export async function stop(p: Proc, graceMs = 3000): Promise<number | string> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return p.exited;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  const how = await p.exited;
  clearTimeout(timer);
  return how;
}

/** Stops every process; whatever they wrote to stderr (crashes, startup failures) is shown. */
export async function stopAll(procs: readonly Proc[]): Promise<void> {
  await Promise.all(procs.map((p) => stop(p)));
  for (const p of procs) if (p.stderr() !== '') process.stderr.write(`--- ${p.name} stderr ---\n${p.stderr()}\n`);
}

export async function waitHttp(url: string, timeoutMs = 20_000): Promise<void> {
  await until(
    async () => {
      try {
        const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
        await res.arrayBuffer();
        return res.status === 200;
      } catch {
        return false;
      }
    },
    timeoutMs,
    url,
  );
}

export interface ApiResult {
  readonly status: number;
  readonly body: string;
}

export async function api(base: string, method: string, url: string, body?: unknown): Promise<ApiResult> {
  const res = await fetch(base + url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, body: await res.text() };
}

/** Like `api` but fails unless the status is 2xx. */
export async function apiOk(base: string, method: string, url: string, body?: unknown): Promise<string> {
  const r = await api(base, method, url, body);
  if (r.status >= 300) throw new Error(`${method} ${url}: ${r.status} ${r.body}`);
  return r.body;
}

export async function syncz(base: string): Promise<ProxySyncStatus[]> {
  return JSON.parse(await apiOk(base, 'GET', '/debug/syncz')) as ProxySyncStatus[];
}

export interface Upstream {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** Requests seen, by path. */
  readonly seen: string[];
  close(): Promise<void>;
}

/**
 * An upstream app: answers `<name>` with `x-upstream: <name>`; `/slow?ms=N` answers after N ms.
 */
export async function startUpstream(name: string, host: string): Promise<Upstream> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    seen.push(url.pathname);
    const reply = (): void => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-upstream': name });
      res.end(name);
    };
    if (url.pathname.endsWith('/slow')) setTimeout(reply, Number(url.searchParams.get('ms') ?? '1000'));
    else reply();
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    name,
    host,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface LoadResult {
  readonly sent: number;
  readonly ok: number;
  readonly failures: readonly string[];
  /** Response bodies of successful requests, in completion order. */
  readonly bodies: readonly string[];
}

export interface Load {
  stop(): Promise<LoadResult>;
}

/** Steady open-loop traffic: `rps` GETs per second of `url` until stopped; anything but 200 is a failure. */
export function startLoad(url: string, rps: number): Load {
  let sent = 0;
  let ok = 0;
  const failures: string[] = [];
  const bodies: string[] = [];
  const inflight = new Set<Promise<void>>();
  const one = async (): Promise<void> => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const body = await res.text();
      if (res.status === 200) {
        ok++;
        bodies.push(body);
      } else failures.push(`${res.status} ${body.slice(0, 200)}`);
    } catch (err) {
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      failures.push(`${err instanceof Error ? err.message : String(err)}${cause}`);
    }
  };
  const started = Date.now();
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - started) / 1000) * rps);
    while (sent < due) {
      sent++;
      const p = one();
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
    }
  }, 5);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all([...inflight]);
      return { sent, ok, failures, bodies };
    },
  };
}

export function tmpStateDir(): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-proxy-int-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ── the mesh used by the integration tests ────────────────────────────────────────────────────

export interface ControlPlaneAddress {
  readonly host: string;
  readonly xdsPort: number;
  readonly httpPort: number;
  readonly stateDir: string;
}

/**
 * The upstreams of these tests are plain servers registered as workloads, not sidecars, and the gateway
 * under test has no workload identity unless a test gives it one: mTLS is off (`--mtls off`) unless asked.
 */
export function startControlPlane(cp: ControlPlaneAddress, o: { readonly mtls?: boolean } = {}): Proc {
  const args = ['--host', cp.host, '--xds-port', String(cp.xdsPort), '--http-port', String(cp.httpPort), '--state-dir', cp.stateDir, '--debounce-quiet', '20'];
  return startApp('control-plane', 'control-plane', [...args, '--mtls', o.mtls === true ? 'on' : 'off']);
}

export interface GatewayOptions {
  readonly block: string;
  readonly xds: string;
  readonly publishPort: number;
  readonly drainMs?: number;
  /** Extra environment, e.g. PROXY_CONFIG (the pod's proxy.istio.io/config). */
  readonly env?: Record<string, string>;
}

/** The ingress gateway: router mode on `<block>.2`, its 8080 listener published on `<block>.3:<publishPort>`. */
export function startGateway(o: GatewayOptions): Proc {
  return startApp('proxy', 'gateway', [
    '--mode', 'router',
    '--xds-address', o.xds,
    '--ip', `${o.block}.2`,
    '--pod-name', 'istio-ingressgateway-int',
    '--namespace', 'istio-system',
    '--labels', 'istio=ingressgateway,app=istio-ingressgateway',
    '--interception', 'NONE',
    '--publish', `8080=${o.block}.3:${o.publishPort}`,
    '--ops-bind', 'instance-ip',
    '--drain-ms', String(o.drainMs ?? 2000),
  ], o.env);
}

export const SERVICE = {
  name: 'web',
  namespace: 'default',
  hostname: 'web.default.svc.cluster.local',
  ports: [{ name: 'http', port: 8080, targetPort: 8080, protocol: 'HTTP' }],
  selector: { app: 'web' },
};

/** A workload without a sidecar at the upstream's address; the service's 8080 maps to its real port. */
export function workloadFor(up: Upstream, version: string): unknown {
  return { name: `web-${version}`, namespace: 'default', address: up.host, ports: { '8080': up.port }, labels: { app: 'web', version }, serviceAccount: 'default', sidecar: false, ready: true };
}

export async function register(base: string, upstreams: readonly (readonly [Upstream, string])[]): Promise<void> {
  await apiOk(base, 'PUT', '/api/v1/registry/services/default/web', SERVICE);
  for (const [up, version] of upstreams) await apiOk(base, 'PUT', `/api/v1/registry/workloads/default/web-${version}`, workloadFor(up, version));
}

export const GATEWAY = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'Gateway',
  metadata: { name: 'web-gateway' },
  spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
};

export const DESTINATION_RULE = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name: 'web' },
  spec: { host: 'web', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] },
};

/** The gateway's VirtualService: `/web…` to the web service, split between subsets v1/v2 by weight. */
export function virtualService(v1Weight: number, match: unknown = { uri: { prefix: '/web' } }): unknown {
  const dest = (subset: string, weight: number): unknown => ({ destination: { host: 'web', subset, port: { number: 8080 } }, weight });
  return {
    apiVersion: 'networking.istio.io/v1',
    kind: 'VirtualService',
    metadata: { name: 'web' },
    spec: { hosts: ['*'], gateways: ['web-gateway'], http: [{ match: [match], route: [dest('v1', v1Weight), dest('v2', 100 - v1Weight)] }] },
  };
}

export async function applyConfig(base: string, objects: readonly unknown[]): Promise<ApiResult> {
  return api(base, 'POST', '/api/v1/config/apply?namespace=default', { objects });
}
