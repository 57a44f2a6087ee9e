import type { PoolOptions, UpstreamHandler, UpstreamPool, UpstreamRequest } from './upstream-pool';

/** One ALPN list a connection offers, with the key its pool is found by. */
export interface AlpnChoice {
  readonly protocols: readonly string[];
  /** `protocols` joined: connections offering the same list share a pool. */
  readonly key: string;
}

/**
 * What upstream TLS connections made for an HCM's requests offer instead of the cluster's
 * `alpn_protocols` (Istio's `istio.alpn` filter, http/filters/istio-alpn.ts), per upstream HTTP
 * protocol; undefined = no override for that protocol. The proxy's HTTP/1.x pools speak HTTP/1.1, so
 * `http10` is kept for the config's sake only (Envoy uses it with `use_downstream_protocol`).
 */
export interface AlpnOverride {
  readonly http10: AlpnChoice | undefined;
  readonly http11: AlpnChoice | undefined;
  readonly http2: AlpnChoice | undefined;
}

export function alpnChoice(protocols: readonly string[]): AlpnChoice {
  return { protocols: Object.freeze([...protocols]), key: protocols.join(',') };
}

/**
 * In front of a TLS endpoint's pool: one pool per offered ALPN, as Envoy hashes a request's
 * application-protocol override into its connection pool key, so a connection negotiated for one
 * ALPN (`istio-http/1.1`: the server's HTTP chain) never carries a request meant for another (the
 * cluster's `istio-peer-exchange`: its TCP chain). Requests without an override use the cluster's
 * ALPN. The list is chosen once per pool from the cluster's protocol (h2 or HTTP/1.1); plaintext
 * endpoints never get this wrapper, so their requests pay nothing for it.
 */
export class AlpnPools implements UpstreamPool {
  private readonly pools = new Map<string, UpstreamPool>();
  private closing = false;

  constructor(
    private readonly options: PoolOptions,
    private readonly http2: boolean,
    private readonly create: (options: PoolOptions) => UpstreamPool,
  ) {}

  get connected(): number {
    let n = 0;
    for (const p of this.pools.values()) n += p.connected;
    return n;
  }

  dispatch(req: UpstreamRequest, handler: UpstreamHandler): void {
    const o = req.alpn;
    const choice = o === undefined ? undefined : this.http2 ? o.http2 : o.http11;
    const key = choice === undefined ? '' : choice.key;
    let pool = this.pools.get(key);
    if (pool === undefined || this.closing) {
      pool = this.create(choice === undefined ? this.options : { ...this.options, alpn: choice.protocols });
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
