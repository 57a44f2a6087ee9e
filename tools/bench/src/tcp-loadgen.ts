import { connect, type Socket } from 'node:net';
import type { LoadResult } from './loadgen';

/** Size of one request and of its response (the upstream answers every full request with as many bytes). */
export const TCP_MESSAGE = 1024;

/**
 * TCP echo-ish upstream (run as `node -e`): for every full 1 KB read on a connection it writes
 * 1 KB back, so a kept connection carries any number of request/response round trips.
 */
export const tcpUpstreamScript = (port: number): string => `const body = Buffer.alloc(${TCP_MESSAGE}, 'y');
require('node:net').createServer({ noDelay: true }, (s) => { let pending = 0;
  s.on('data', (d) => { pending += d.length; while (pending >= ${TCP_MESSAGE}) { pending -= ${TCP_MESSAGE}; s.write(body); } });
  s.on('end', () => s.end()); s.on('error', () => s.destroy());
}).listen(${port}, '127.0.0.1');`;

interface Target {
  readonly host: string;
  readonly port: number;
}

const REQUEST = Buffer.alloc(TCP_MESSAGE, 'x');

/** Schedules `total` jobs at start + i/rate (open loop), resolving when every job has called done. */
function schedule(rate: number, total: number, fire: (i: number, due: number, done: () => void) => void): Promise<number> {
  const interval = 1000 / rate;
  const start = performance.now() + 10;
  let finished = 0;
  return new Promise((resolve) => {
    if (total === 0) return resolve(0);
    let next = 0;
    const done = (): void => {
      if (++finished === total) resolve(performance.now() - start);
    };
    const tick = (): void => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        fire(next, start + next * interval, done);
        next++;
      }
      if (next < total) setTimeout(tick, 0);
    };
    setTimeout(tick, 10);
  });
}

function open(t: Target): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: t.host, port: t.port, noDelay: true });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/**
 * Open-loop round trips over `connections` kept connections: round trip i is due at start + i/rate;
 * it goes out on an idle connection (one in flight per connection, like undici's pool with
 * pipelining 1) or waits for one, and its latency counts from the due time. A round trip is 1 KB
 * written, 1 KB read back; a connection that fails fails its round trip and is reopened.
 */
export async function tcpOpenLoop(t: Target, rate: number, durationMs: number, connections: number): Promise<LoadResult> {
  const total = Math.floor((rate * durationMs) / 1000);
  const latencies = new Float64Array(total);
  let ok = 0;
  let errors = 0;
  const idle: Conn[] = [];
  const queue: { i: number; due: number; done: () => void }[] = [];

  class Conn {
    socket: Socket | undefined;
    job: { i: number; due: number; done: () => void } | undefined;
    got = 0;
    attach(s: Socket): void {
      this.socket = s;
      s.on('data', (d: Buffer) => {
        this.got += d.length;
        if (this.job && this.got >= TCP_MESSAGE) {
          this.got -= TCP_MESSAGE;
          this.finish(true);
        }
      });
      s.on('error', () => undefined);
      s.on('close', () => {
        if (this.socket !== s) return;
        this.socket = undefined;
        this.got = 0;
        if (this.job) this.finish(false); // an idle one stays idle and reconnects on its next round trip
      });
    }
    finish(success: boolean): void {
      const job = this.job!;
      this.job = undefined;
      latencies[job.i] = (performance.now() - job.due) * 1000;
      if (success) ok++;
      else errors++;
      job.done();
      this.release();
    }
    release(): void {
      const next = queue.shift();
      if (next) this.run(next);
      else idle.push(this);
    }
    run(job: { i: number; due: number; done: () => void }): void {
      this.job = job;
      if (this.socket) this.socket.write(REQUEST);
      else
        open(t).then(
          (s) => {
            this.attach(s);
            s.write(REQUEST);
          },
          () => this.finish(false),
        );
    }
  }

  const conns: Conn[] = [];
  for (let c = 0; c < connections; c++) {
    const conn = new Conn();
    conn.attach(await open(t));
    conns.push(conn);
    idle.push(conn);
  }
  const elapsed = await schedule(rate, total, (i, due, done) => {
    const job = { i, due, done };
    const conn = idle.pop();
    if (conn) conn.run(job);
    else queue.push(job);
  });
  for (const c of conns) c.socket?.destroy();
  return { sent: total, ok, errors, achievedRps: (total / elapsed) * 1000, latenciesUs: latencies };
}

/**
 * Connection setup at a fixed rate (open loop): each job connects, does one 1 KB round trip and
 * closes; latency from its due time to the response, counting the handshake(s) it waited for.
 */
export async function tcpConnectLoop(t: Target, rate: number, durationMs: number): Promise<LoadResult> {
  const total = Math.floor((rate * durationMs) / 1000);
  const latencies = new Float64Array(total);
  let ok = 0;
  let errors = 0;
  const elapsed = await schedule(rate, total, (i, due, done) => {
    let got = 0;
    let settled = false;
    const settle = (success: boolean): void => {
      if (settled) return;
      settled = true;
      latencies[i] = (performance.now() - due) * 1000;
      if (success) ok++;
      else errors++;
      done();
    };
    const s = connect({ host: t.host, port: t.port, noDelay: true });
    s.on('connect', () => s.write(REQUEST));
    s.on('data', (d: Buffer) => {
      got += d.length;
      if (got >= TCP_MESSAGE) {
        settle(true);
        s.end();
      }
    });
    s.on('error', () => settle(false));
    s.on('close', () => settle(false));
  });
  return { sent: total, ok, errors, achievedRps: (total / elapsed) * 1000, latenciesUs: latencies };
}
