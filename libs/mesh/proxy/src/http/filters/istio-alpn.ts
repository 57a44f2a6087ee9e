import { ISTIO_ALPN_TYPE, type IstioAlpnFilterConfig, type Received } from '@trellis/mesh-envoy';
import type { TypedConfig } from '../../config/envoy-types';
import { invalid } from '../../config/proto';
import { type AlpnChoice, type AlpnOverride, alpnChoice } from '../../upstream/alpn-pools';
import type { Exchange } from '../exchange';
import type { FilterStatus, HttpFilter, HttpFilterFactory } from '../filter';

/**
 * istio.alpn (istio/proxy source/extensions/filters/http/alpn): requests through this HCM have their
 * upstream TLS connections offer `alpn_override[upstream_protocol]` instead of the cluster's
 * `alpn_protocols` — istiod's `istio-http/1.1, istio, http/1.1` for HTTP/1.x clusters and `istio-h2,
 * istio, h2` for HTTP/2 ones, so a PERMISSIVE server sidecar serves HTTP-over-mTLS to an undeclared
 * port on its HTTP chain, not its TCP one. Compiled once; per request it only hands the compiled
 * override to the exchange: which list applies, and which connections may carry it, is decided by
 * the endpoint's pools (upstream/alpn-pools.ts), and plaintext endpoints ignore it. tcp_proxy keeps
 * the cluster's ALPN. Unset `upstream_protocol` is HTTP10 (proto3's zero); an empty list is no override.
 */

type Protocol = keyof AlpnOverride;
const PROTOCOLS: Readonly<Record<string, Protocol>> = { HTTP10: 'http10', HTTP11: 'http11', HTTP2: 'http2' };

function stringList(resource: string, field: string, value: unknown): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) throw invalid(resource, `${field} must be a list of protocol names`);
  return value as string[];
}

/** FilterConfig → one list per upstream protocol; the first entry for a protocol wins, as Envoy's map insert. */
export function compileIstioAlpn(resource: string, config: TypedConfig): AlpnOverride {
  const entries = (config as Received<IstioAlpnFilterConfig>).alpn_override ?? [];
  if (!Array.isArray(entries)) throw invalid(resource, 'alpn_override must be a list');
  const out: Record<Protocol, AlpnChoice | undefined> = { http10: undefined, http11: undefined, http2: undefined };
  entries.forEach((e, i) => {
    const name = e.upstream_protocol ?? 'HTTP10';
    const protocol = PROTOCOLS[name];
    if (protocol === undefined) throw invalid(resource, `alpn_override[${i}].upstream_protocol ${String(name)} unknown`);
    const list = stringList(resource, `alpn_override[${i}].alpn_override`, e.alpn_override);
    if (out[protocol] === undefined && list.length > 0) out[protocol] = alpnChoice(list);
  });
  return out;
}

class IstioAlpnFilter implements HttpFilter {
  constructor(
    readonly name: string,
    private readonly override: AlpnOverride,
  ) {}

  decodeHeaders(ex: Exchange): FilterStatus {
    ex.upstreamAlpn = this.override;
    return 'continue';
  }
}

export const istioAlpnFilter: HttpFilterFactory = {
  typeUrl: ISTIO_ALPN_TYPE,
  create: (resource, name, config) => new IstioAlpnFilter(name, compileIstioAlpn(resource, config)),
};
