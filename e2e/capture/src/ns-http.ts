/**
 * HTTP from inside a namespace: the test process lives in the root namespace, where 10.244.x does
 * not exist, so requests run as a short `node -e` script under `ip netns exec`.
 */
import type { Topology } from './netns';

export interface NsRequest {
  readonly url: string;
  readonly method?: string;
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

export interface NsResponse {
  readonly url: string;
  readonly status: number;
  readonly body: string;
}

/**
 * stdin: { requests, waitMs }. With waitMs > 0, every request is retried until it answers 2xx or
 * the time is up; the last answers (status 0 = connection error) are printed as JSON.
 */
const SCRIPT = `
const input = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));
const deadline = Date.now() + input.waitMs;
async function one(r) {
  try {
    const res = await fetch(r.url, { method: r.method || 'GET', headers: { 'content-type': 'application/json', ...(r.headers || {}) },
      body: r.body === undefined ? undefined : JSON.stringify(r.body), signal: AbortSignal.timeout(5000) });
    return { url: r.url, status: res.status, body: await res.text() };
  } catch (err) {
    return { url: r.url, status: 0, body: String(err && err.cause ? err.cause.message || err.cause : err) };
  }
}
async function main() {
  const out = [];
  for (const r of input.requests) {
    let res = await one(r);
    while (input.waitMs > 0 && (res.status < 200 || res.status > 299) && Date.now() < deadline) {
      await new Promise((ok) => setTimeout(ok, 100));
      res = await one(r);
    }
    out.push(res);
  }
  process.stdout.write(JSON.stringify(out));
}
main();
`;

/** Run the requests (in order) from inside `ns`. */
export async function nsHttp(topo: Topology, ns: string, requests: readonly NsRequest[], waitMs = 0): Promise<NsResponse[]> {
  const r = await topo.exec(ns, [process.execPath, '-e', SCRIPT], JSON.stringify({ requests, waitMs }), waitMs + 15_000);
  if (r.code !== 0) throw new Error(`http script in ${ns} failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as NsResponse[];
}

/** One GET from inside `ns`. */
export async function nsGet(topo: Topology, ns: string, url: string): Promise<NsResponse> {
  const [res] = await nsHttp(topo, ns, [{ url }]);
  if (res === undefined) throw new Error(`no answer for ${url}`);
  return res;
}
