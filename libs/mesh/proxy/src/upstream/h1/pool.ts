import { type ConnectionOwner, H1Connection, RequestSlot } from './connection';
import { type PoolOptions, type UpstreamHandler, type UpstreamPool, type UpstreamRequest, UpstreamError } from '../upstream-pool';

/**
 * Keep-alive HTTP/1.1 connections to one upstream host (Envoy's per-host connection pool): an idle
 * connection is reused (most recent first), else the request pends (the cluster's `pending` breaker
 * may refuse it) on a new connection, up to `maxConnections`, or in FIFO order until one is free.
 * Idle connections close after their idle limit.
 */
export class H1Pool implements ConnectionOwner, UpstreamPool {
  private readonly all = new Set<H1Connection>();
  private readonly idle: H1Connection[] = [];
  private readonly queue: RequestSlot[] = [];
  private sweepTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private onDrained: (() => void) | undefined;
  private readonly dequeue = (slot: RequestSlot): void => {
    const i = this.queue.indexOf(slot);
    if (i >= 0) this.queue.splice(i, 1);
  };

  constructor(
    private readonly host: string,
    private readonly port: number,
    readonly options: PoolOptions,
  ) {}

  /** Established connections (Envoy's cx_active). */
  get connected(): number {
    let n = 0;
    for (const c of this.all) if (c.connected) n++;
    return n;
  }

  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void {
    const slot = new RequestSlot(req, handler, this.dequeue);
    handler.onRequestStart(slot);
    if (slot.done) return;
    if (this.closing) {
      slot.fail(new UpstreamError('POOL_CLOSED', 'upstream pool closed', true));
      return;
    }
    this.assign(slot);
  }

  release(conn: H1Connection): void {
    const next = this.queue.shift();
    if (next !== undefined) {
      conn.start(next);
      return;
    }
    if (this.closing) {
      conn.destroy();
      return;
    }
    conn.idleSince = performance.now();
    this.idle.push(conn);
    this.armSweep(conn.idleLimitMs);
  }

  removed(conn: H1Connection): void {
    if (!this.all.delete(conn)) return;
    const i = this.idle.indexOf(conn);
    if (i >= 0) this.idle.splice(i, 1);
    const next = this.queue.shift();
    if (next !== undefined) this.assign(next);
    if (this.closing && this.all.size === 0) this.onDrained?.();
  }

  /** Requests in flight and queued finish; then every connection closes. */
  close(): Promise<void> {
    this.closing = true;
    for (const c of this.idle.splice(0)) c.destroy();
    if (this.all.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.onDrained = resolve;
    });
  }

  /** Everything stops now: queued requests and requests in flight fail. */
  destroy(): void {
    this.closing = true;
    for (const slot of this.queue.splice(0)) slot.fail(new UpstreamError('POOL_CLOSED', 'upstream pool destroyed', true));
    for (const c of [...this.all]) {
      c.destroy();
      c.onSocketGone(new UpstreamError('CONNECTION_CLOSED', 'upstream pool destroyed'));
    }
  }

  private assign(slot: RequestSlot): void {
    const reuse = this.idle.pop();
    if (reuse !== undefined) {
      reuse.start(slot);
      return;
    }
    if (!this.pend(slot)) return;
    const max = this.options.maxConnections;
    if (max > 0 && this.all.size >= max) {
      this.options.pending?.connectionOverflow();
      this.queue.push(slot);
      return;
    }
    const conn = new H1Connection(this, this.host, this.port);
    this.all.add(conn);
    conn.start(slot);
  }

  /** No ready connection: the request pends (new connection or queue), unless the cluster's breaker refuses it. */
  private pend(slot: RequestSlot): boolean {
    const gate = this.options.pending;
    if (gate === undefined || slot.leavePending !== undefined) return true;
    if (!gate.tryEnter()) {
      slot.fail(new UpstreamError('OVERFLOW', 'upstream pending requests overflow', true));
      return false;
    }
    slot.leavePending = () => gate.leave();
    return true;
  }

  private armSweep(delayMs: number): void {
    if (this.sweepTimer !== undefined) return;
    this.sweepTimer = setTimeout(() => this.sweep(), delayMs);
    this.sweepTimer.unref();
  }

  /** Close connections idle past their limit; come back for the next one due. */
  private sweep(): void {
    this.sweepTimer = undefined;
    const now = performance.now();
    let nextDue = Infinity;
    for (const c of [...this.idle]) {
      const due = c.idleSince + c.idleLimitMs;
      if (due <= now + 1) c.destroy();
      else nextDue = Math.min(nextDue, due - now);
    }
    if (nextDue !== Infinity) this.armSweep(nextDue);
  }
}
