import type { PoolOptions, UpstreamHandler, UpstreamPool, UpstreamRequest } from './upstream-pool';

/** Host header → SNI: the host without its port (brackets of an IPv6 literal removed). */
export function sniOfHost(host: string | string[] | undefined): string {
  const h = Array.isArray(host) ? (host[0] ?? '') : (host ?? '');
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/**
 * auto_sni: one pool per SNI to the same host, as Envoy hashes the SNI into its connection pool key,
 * so a connection made for one host name never carries a request for another.
 */
export class SniPools implements UpstreamPool {
  private readonly pools = new Map<string, UpstreamPool>();
  private closing = false;

  constructor(
    private readonly options: PoolOptions,
    private readonly create: (options: PoolOptions) => UpstreamPool,
  ) {}

  get connected(): number {
    let n = 0;
    for (const p of this.pools.values()) n += p.connected;
    return n;
  }

  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void {
    const sni = sniOfHost(req.headers?.['host']);
    let pool = this.pools.get(sni);
    if (pool === undefined || this.closing) {
      pool = this.create({ ...this.options, sni });
      if (!this.closing) this.pools.set(sni, pool);
    }
    pool.dispatch(req, handler);
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all([...this.pools.values()].map((p) => p.close()));
  }

  destroy(): void {
    this.closing = true;
    for (const p of this.pools.values()) p.destroy();
  }
}
