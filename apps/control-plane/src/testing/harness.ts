/**
 * Test helpers for the control plane's integration tests: an in-process control plane on
 * ephemeral ports, its HTTP API, and gRPC backends that answer with their own identity.
 */
import { createHook } from 'node:async_hooks';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type { ProxySyncStatus } from '@trellis/mesh-xds';
import { silentLogger } from '@trellis/shared';
import type { ControlPlaneConfig } from '../config';
import { startControlPlane, type RunningControlPlane } from '../control-plane';

export const METHOD = '/greeter.Greeter/WhoAmI';

const raw = (b: Buffer): Buffer => b;

const GREETER_SERVICE: grpc.ServiceDefinition = {
  WhoAmI: { path: METHOD, requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw },
};

export interface Backend {
  readonly server: grpc.Server;
  readonly port: number;
}

/** A grpc-js server on 127.0.0.1:0 answering every WhoAmI call with `identity`. */
export async function startBackend(identity: string): Promise<Backend> {
  const server = new grpc.Server();
  server.addService(GREETER_SERVICE, {
    WhoAmI: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.from(identity)),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return { server, port };
}

export type CallResult = { ok: true; value: string } | { ok: false; code: grpc.status; details: string };

/** One unary call with a bounded deadline; never rejects. */
export function call(client: grpc.Client, headers: Record<string, string> = {}, timeoutMs = 3000): Promise<CallResult> {
  const metadata = new grpc.Metadata();
  for (const [k, v] of Object.entries(headers)) metadata.set(k, v);
  return new Promise((resolve) => {
    client.makeUnaryRequest(METHOD, raw, raw, Buffer.from('who'), metadata, { deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err) resolve({ ok: false, code: err.code ?? grpc.status.UNKNOWN, details: err.details ?? err.message });
      else resolve({ ok: true, value: res?.toString() ?? '' });
    });
  });
}

/** `n` sequential calls; the answers (or `ERR:<code>`) in order. */
export async function callMany(client: grpc.Client, n: number, headers: Record<string, string> = {}): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await call(client, headers);
    out.push(r.ok ? r.value : `ERR:${r.code}`);
  }
  return out;
}

export function tally(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}

/** Polls `check` until it resolves true; throws `what` after `timeoutMs`. */
export async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 8000, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface ApiResponse {
  readonly status: number;
  readonly body: unknown;
}

/** The control plane under test plus a client for its HTTP API. */
export interface TestControlPlane {
  readonly cp: RunningControlPlane;
  readonly stateDir: string;
  api(method: 'GET' | 'PUT' | 'POST' | 'DELETE', urlPath: string, body?: unknown): Promise<ApiResponse>;
  syncz(): Promise<ProxySyncStatus[]>;
  close(): Promise<void>;
}

export function testConfig(stateDir: string): ControlPlaneConfig {
  return { host: '127.0.0.1', xdsPort: 0, httpPort: 0, stateDir, debounceQuietMs: 10, debounceMaxMs: 100, logLevel: 'silent', privateApis: true };
}

export async function makeStateDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'trellis-cp-test-'));
}

export async function removeStateDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Starts the control plane in-process on ephemeral ports (state in `stateDir`, a fresh tmp dir by default). */
export async function startTestControlPlane(stateDir?: string): Promise<TestControlPlane> {
  const dir = stateDir ?? (await makeStateDir());
  const cp = await startControlPlane(testConfig(dir), silentLogger());
  const base = `http://127.0.0.1:${cp.httpPort}`;
  const api = async (method: 'GET' | 'PUT' | 'POST' | 'DELETE', urlPath: string, body?: unknown): Promise<ApiResponse> => {
    const init: RequestInit = { method, signal: AbortSignal.timeout(5000) };
    if (body !== undefined) {
      init.headers = { 'content-type': 'application/json' };
      init.body = JSON.stringify(body);
    }
    const res = await fetch(`${base}${urlPath}`, init);
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };
  return {
    cp,
    stateDir: dir,
    api,
    syncz: async () => (await api('GET', '/debug/syncz')).body as ProxySyncStatus[],
    close: () => cp.close(),
  };
}

export interface TimerGuard {
  /** Unrefs every timer still pending that was created from a module whose path contains the marker; returns how many. */
  release(): number;
}

/**
 * @grpc/grpc-js-xds 1.14's priority LB does not clear its child timers on destroy (a 10 s failover
 * timer, and a 15 min retention timer once a cluster's EDS becomes empty), so a closed xds: channel
 * can keep the test process alive for up to 15 minutes. This tracks timers created from that
 * package so the suite can unref the leftovers after closing everything it owns.
 */
export function guardLingeringTimers(marker = `${path.sep}@grpc${path.sep}grpc-js-xds${path.sep}`): TimerGuard {
  const live = new Map<number, NodeJS.Timeout>();
  const hook = createHook({
    init(asyncId, type, _trigger, resource) {
      if (type !== 'Timeout') return;
      if (!(new Error().stack ?? '').includes(marker)) return;
      live.set(asyncId, resource as NodeJS.Timeout);
    },
    destroy(asyncId) {
      live.delete(asyncId);
    },
  }).enable();
  return {
    release: () => {
      hook.disable();
      let n = 0;
      for (const t of live.values()) {
        if (t.hasRef()) {
          t.unref();
          n++;
        }
      }
      live.clear();
      return n;
    },
  };
}
