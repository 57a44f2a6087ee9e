import { spawn } from 'node:child_process';
import path from 'node:path';
import { request } from 'undici';
import { ROOT } from './stack';

/** What a user sees of one /productpage load. */
export interface PageView {
  readonly status: number;
  readonly body: string;
  readonly ms: number;
  /** Full-star markers (Istio's test string, excluding empty stars). */
  readonly stars: number;
  readonly color: 'black' | 'red' | undefined;
  readonly servedBy: string | undefined;
}

export function viewOf(status: number, body: string, ms: number): PageView {
  const stars = (body.match(/glyphicon glyphicon-star"/g) ?? []).length;
  const color = body.includes('gap-x-1 text-red-500') ? 'red' : body.includes('gap-x-1 text-black-500') ? 'black' : undefined;
  const servedBy = /(reviews-v\d-[a-z0-9]+-[a-z0-9]+)/.exec(body)?.[1];
  return { status, body, ms, stars, color, servedBy };
}

export async function getPage(gatewayUrl: string, cookie?: string): Promise<PageView> {
  const started = Date.now();
  const res = await request(`${gatewayUrl}/productpage`, { headers: cookie ? { cookie } : {} });
  const body = await res.body.text();
  return viewOf(res.statusCode, body, Date.now() - started);
}

/** Logs in through the gateway like the page's form does; returns the session cookie. */
export async function login(gatewayUrl: string, user: string): Promise<string> {
  const res = await request(`${gatewayUrl}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', referer: `${gatewayUrl}/productpage` },
    body: `username=${encodeURIComponent(user)}&passwd=`,
  });
  await res.body.dump();
  const setCookie = res.headers['set-cookie'];
  const raw = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (res.statusCode !== 302 || !raw) throw new Error(`login failed: ${res.statusCode}`);
  return raw.split(';')[0] ?? raw;
}

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the `trellis` CLI as a user would, against the stack's state dir. */
export function trellis(stateDir: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'dist/apps/cli/main.js'), '--state-dir', stateDir, ...args], { cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

export const sample = (file: string): string => path.join(ROOT, 'samples/bookinfo/networking', file);

/** Polls until `predicate` holds for a fresh page (routing changes propagate asynchronously). */
export async function eventually(gatewayUrl: string, predicate: (v: PageView) => boolean, cookie?: string, timeoutMs = 5000): Promise<number> {
  const started = Date.now();
  for (;;) {
    const v = await getPage(gatewayUrl, cookie);
    if (predicate(v)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not reached in ${timeoutMs} ms (last: ${v.status}, stars ${v.stars}, ${v.servedBy})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
