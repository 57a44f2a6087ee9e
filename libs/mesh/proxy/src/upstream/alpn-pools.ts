import { KeyedPools } from './keyed-pools';
import type { PoolOptions, UpstreamPool, UpstreamRequest } from './upstream-pool';

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
export class AlpnPools extends KeyedPools {
  constructor(
    private readonly options: PoolOptions,
    private readonly http2: boolean,
    create: (options: PoolOptions) => UpstreamPool,
  ) {
    super(create);
  }

  private choiceOf(req: UpstreamRequest): AlpnChoice | undefined {
    const o = req.alpn;
    return o === undefined ? undefined : this.http2 ? o.http2 : o.http11;
  }

  protected keyOf(req: UpstreamRequest): string {
    return this.choiceOf(req)?.key ?? '';
  }

  protected optionsFor(req: UpstreamRequest): PoolOptions {
    const choice = this.choiceOf(req);
    return choice === undefined ? this.options : { ...this.options, alpn: choice.protocols };
  }
}
