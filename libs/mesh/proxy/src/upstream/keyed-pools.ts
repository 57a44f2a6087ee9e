import type { PoolOptions, UpstreamHandler, UpstreamPool, UpstreamRequest } from './upstream-pool';

/**
 * One pool per key in front of an endpoint, as Envoy hashes per-request connection properties (SNI,
 * ALPN override) into its connection pool key: a connection made for one key never carries a request
 * for another. Subclasses say how a request picks its key (sni-pools.ts, alpn-pools.ts).
 */
export abstract class KeyedPools implements UpstreamPool {
  private readonly pools = new Map<string, UpstreamPool>();
  private closing = false;

  protected constructor(private readonly create: (options: PoolOptions) => UpstreamPool) {}

  /** The pool a request belongs to (per request: keep it cheap). */
  protected abstract keyOf(req: UpstreamRequest): string;
  /** The options a new pool for this request's key is made with (once per key). */
  protected abstract optionsFor(req: UpstreamRequest): PoolOptions;

  get connected(): number {
    let n = 0;
    for (const p of this.pools.values()) n += p.connected;
    return n;
  }

  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void {
    const key = this.keyOf(req);
    let pool = this.pools.get(key);
    if (pool === undefined || this.closing) {
      pool = this.create(this.optionsFor(req));
      if (!this.closing) this.pools.set(key, pool);
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
