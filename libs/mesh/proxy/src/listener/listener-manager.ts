import { TrellisError } from '@trellis/shared';
import type { Http1Choice } from '../codec/h1/http1';
import { HttpListener, targetOf } from './http-listener';
import type { ListenerConfig } from './listener-config';
import { TcpListener } from './tcp-listener';
import type { ProxyContext } from '../proxy-context';

export type BindOverride = (listenerName: string, address: string, port: number) => { host: string; port: number } | undefined;

export interface BoundAddress {
  readonly name: string;
  readonly host: string;
  readonly port: number;
}

/**
 * LDS in force: binds listeners (not `bind_to_port: false` ones), keeps unchanged ones open,
 * swaps config in place when only routing changed, closes removed ones gracefully.
 */
export class ListenerManager {
  private readonly bound = new Map<string, HttpListener | TcpListener>();

  constructor(
    private readonly ctx: ProxyContext,
    private readonly drainMs: number,
    private readonly bindOverride: BindOverride | undefined,
    /** The downstream HTTP/1.1 codec chosen at start-up (h1/http1.ts). */
    private readonly http1: Http1Choice,
  ) {}

  addresses(): BoundAddress[] {
    return [...this.bound.values()].map((l) => ({ name: l.config.name, host: l.host, port: l.port }));
  }

  async apply(configs: readonly ListenerConfig[]): Promise<void> {
    this.ctx.listeners.clear();
    this.ctx.listenersByPort.clear();
    for (const c of configs) {
      this.ctx.listeners.set(c.name, c);
      if (!c.bind) this.ctx.listenersByPort.set(c.port, c);
    }
    const wanted = new Set(configs.filter(isBound).map((c) => c.name));
    const closing: Promise<void>[] = [];
    for (const [name, l] of this.bound) {
      if (!wanted.has(name)) {
        this.bound.delete(name);
        closing.push(l.close(this.drainMs));
      }
    }
    const failures: string[] = [];
    for (const c of configs.filter(isBound)) {
      try {
        await this.upsert(c);
      } catch (err) {
        failures.push(`${c.name}: ${(err as Error).message}`);
      }
    }
    void Promise.all(closing);
    if (failures.length > 0) {
      throw new TrellisError('LISTENER_BIND_FAILED', `cannot bind listeners: ${failures.join('; ')}`, { failures });
    }
  }

  /** Every HTTP listener enters Envoy's graceful drain and keeps accepting (HttpListener.startDrain). */
  startDrain(): void {
    for (const l of this.bound.values()) if (l instanceof HttpListener) l.startDrain();
  }

  async close(): Promise<void> {
    const all = [...this.bound.values()];
    this.bound.clear();
    await Promise.all(all.map((l) => l.close(this.drainMs)));
  }

  private async upsert(c: ListenerConfig): Promise<void> {
    const existing = this.bound.get(c.name);
    if (existing !== undefined) {
      if (existing.config.fingerprint === c.fingerprint) return;
      if (existing instanceof HttpListener && servesHttp(c) && sameSocket(existing.config, c)) {
        existing.config = c;
        existing.target = targetOf(c);
        return;
      }
      if (existing instanceof TcpListener && !servesHttp(c) && sameSocket(existing.config, c)) {
        existing.config = c;
        return;
      }
      this.bound.delete(c.name);
      await existing.close(this.drainMs);
    }
    const at = this.bindOverride?.(c.name, c.address, c.port) ?? { host: c.address, port: c.port };
    const l = servesHttp(c) ? new HttpListener(this.ctx, c, this.http1) : new TcpListener(this.ctx, c);
    await l.listen(at.host, at.port);
    this.bound.set(c.name, l);
    this.ctx.logger.info({ listener: c.name, host: l.host, port: l.port }, 'listener bound');
  }
}

function servesHttp(c: ListenerConfig): boolean {
  return c.bind && (c.hcm !== undefined || (c.useOriginalDst && c.passthroughCluster !== undefined));
}

/** Bound: HTTP listeners, and TCP ones (a tcp_proxy chain, no HCM, not a capture listener). */
function isBound(c: ListenerConfig): boolean {
  return servesHttp(c) || (c.bind && !c.useOriginalDst && c.tcp !== undefined);
}

function sameSocket(a: ListenerConfig, b: ListenerConfig): boolean {
  return (
    a.address === b.address &&
    a.port === b.port &&
    (a.hcm?.maxRequestHeadersBytes ?? 0) === (b.hcm?.maxRequestHeadersBytes ?? 0)
  );
}
