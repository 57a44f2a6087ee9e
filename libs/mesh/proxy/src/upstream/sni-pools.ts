import { KeyedPools } from './keyed-pools';
import type { PoolOptions, UpstreamPool, UpstreamRequest } from './upstream-pool';

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
export class SniPools extends KeyedPools {
  constructor(
    private readonly options: PoolOptions,
    create: (options: PoolOptions) => UpstreamPool,
  ) {
    super(create);
  }

  protected keyOf(req: UpstreamRequest): string {
    return sniOfHost(req.headers?.['host']);
  }

  protected optionsFor(req: UpstreamRequest): PoolOptions {
    return { ...this.options, sni: this.keyOf(req) };
  }
}
