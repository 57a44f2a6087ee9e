import { connect } from 'node:net';
import { request } from 'undici';
import { TrellisError } from '@trellis/shared';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** How a readiness wait polls; `signal` (the process group's `stopped`) ends it early with STACK_STOPPING. */
export interface ReadyWaitOptions {
  readonly intervalMs?: number;
  readonly signal?: AbortSignal;
}

function throwIfStopping(name: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new TrellisError('STACK_STOPPING', 'the stack is stopping; no longer waiting', { component: name });
}

/** Polls `url` until it answers 200, or throws a typed error naming what never became ready. */
export async function waitForReady(name: string, url: string, timeoutMs: number, { intervalMs = 50, signal }: ReadyWaitOptions = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    throwIfStopping(name, signal);
    try {
      const res = await request(url, { headersTimeout: 1000, bodyTimeout: 1000 });
      await res.body.dump();
      if (res.statusCode === 200) return;
      last = `status ${res.statusCode}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(intervalMs);
  }
  throwIfStopping(name, signal);
  throw new TrellisError('NOT_READY', 'component did not become ready', { component: name, url, timeoutMs, last });
}

function tcpConnects(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 1000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('connect timeout');
    });
    socket.once('error', (err) => resolve(err.message));
  });
}

/** Polls until a TCP connection to `host:port` succeeds (a server with no HTTP health, e.g. mariadbd). */
export async function waitForTcp(name: string, host: string, port: number, timeoutMs: number, { intervalMs = 100, signal }: ReadyWaitOptions = {}): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    throwIfStopping(name, signal);
    const failure = await tcpConnects(host, port);
    if (failure === undefined) return;
    last = failure;
    await sleep(intervalMs);
  }
  throwIfStopping(name, signal);
  throw new TrellisError('NOT_READY', 'component did not become ready', { component: name, url: `tcp://${host}:${port}`, timeoutMs, last });
}
