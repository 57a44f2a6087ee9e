/** Starts the trace store on 127.0.0.1 port 0 (a real socket) for a test, with a pinned clock. */
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@trellis/shared';
import { buildApp, type TraceStoreApp } from '../app';

export interface TestServer extends TraceStoreApp {
  readonly origin: string;
  close(): Promise<void>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  getJson<T>(path: string): Promise<{ status: number; body: T }>;
}

export async function startTestServer(options: { maxSpans?: number; nowMs?: number } = {}): Promise<TestServer> {
  const built = buildApp({ logger: silentLogger(), maxSpans: options.maxSpans ?? 10_000, ...(options.nowMs !== undefined ? { now: () => options.nowMs! } : {}) });
  await built.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = built.app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    ...built,
    origin,
    close: () => built.app.close(),
    post: (path, body, headers = { 'content-type': 'application/json' }) =>
      fetch(origin + path, { method: 'POST', headers, body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) }),
    async getJson<T>(path: string) {
      const res = await fetch(origin + path);
      const text = await res.text();
      return { status: res.status, body: (res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T };
    },
  };
}
