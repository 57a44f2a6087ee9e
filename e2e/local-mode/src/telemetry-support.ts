/**
 * What the telemetry walkthroughs read: the real Prometheus's HTTP API (`/api/v1/query`), the trace
 * store's Zipkin v2 API (`/api/v2/traces`), and the proxies' stdout (their access logs) in the
 * runner's per-process log files `<state>/logs/<pod>.istio-proxy.log`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { readLocalPods } from '@trellis/mesh-local';

export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: [number, string];
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Debian's prometheus (and chromium for the browser case) present on this machine. */
export const prometheusInstalled = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].some((f) => existsSync(f));
export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Before the stack starts: `<state>/mesh.yaml`, the local mode's `istio` ConfigMap. */
export function writeMeshConfig(stateDir: string, yaml: string): void {
  writeFileSync(path.join(stateDir, 'mesh.yaml'), yaml);
}

export async function promQuery(base: string, query: string): Promise<PromSample[]> {
  const res = await request(`${base}/api/v1/query?query=${encodeURIComponent(query)}`);
  const body = (await res.body.json()) as { status: string; error?: string; data?: { result: PromSample[] } };
  if (body.status !== 'success') throw new Error(`query ${query} failed: ${body.error ?? res.statusCode}`);
  return body.data?.result ?? [];
}

/** The single value of a scalar-ish query (`sum(...)`), 0 when no series. */
export async function promValue(base: string, query: string): Promise<number> {
  const [first] = await promQuery(base, query);
  return first === undefined ? 0 : Number(first.value[1]);
}

/** Polls `query` until `done(value)` holds (bounded); returns the last value either way. */
export async function pollValue(base: string, query: string, done: (v: number) => boolean, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = await promValue(base, query);
  while (!done(value) && Date.now() < deadline) {
    await sleep(500);
    value = await promValue(base, query);
  }
  return value;
}

export interface ZipkinSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name?: string;
  readonly kind?: string;
  readonly shared?: boolean;
  readonly localEndpoint?: { serviceName?: string };
}

export async function zipkinTraces(base: string, query: string): Promise<ZipkinSpan[][]> {
  const res = await request(`${base}/api/v2/traces?${query}`);
  if (res.statusCode !== 200) throw new Error(`trace query ${query}: ${res.statusCode} ${await res.body.text()}`);
  return (await res.body.json()) as ZipkinSpan[][];
}

/** Roots of a trace: spans whose parent is not in it (one tree ⇔ exactly one). */
export function traceRoots(trace: readonly ZipkinSpan[]): ZipkinSpan[] {
  const ids = new Set(trace.map((s) => s.id));
  return trace.filter((s) => s.parentId === undefined || !ids.has(s.parentId));
}

export const traceServices = (trace: readonly ZipkinSpan[]): Set<string> => new Set(trace.map((s) => s.localEndpoint?.serviceName ?? ''));

/** The proxy stdout of a deployment's pod (its access log lines among its pino logs). */
export function proxyLog(stateDir: string, deployment: string, namespace = 'default'): string {
  const pod = readLocalPods(stateDir).find((p) => p.deployment === deployment && p.namespace === namespace);
  if (pod === undefined) throw new Error(`no pod of ${deployment} in ${namespace}`);
  return readFileSync(path.join(stateDir, 'logs', `${pod.name}.istio-proxy.log`), 'utf8');
}

/** Access log lines (Envoy's TEXT format starts with `[%START_TIME%]`) mentioning `needle`. */
export const accessLines = (log: string, needle: string): string[] => log.split('\n').filter((l) => l.startsWith('[') && l.includes(needle));

/** The `"%REQ(X-REQUEST-ID)%"` field of a default-format TEXT line (the third quoted field after the bytes). */
export function requestIdOf(line: string): string | undefined {
  const quoted = [...line.matchAll(/"([^"]*)"/g)].map((m) => m[1] ?? '');
  // [0] method path protocol, [1] upstream transport failure, [2] x-forwarded-for, [3] user-agent, [4] x-request-id
  return quoted[4];
}
