import { HCM_FILTER_NAME, type FilterChain, type HttpConnectionManager, type Listener, type NetworkFilter } from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';
import { HTTP_APPLICATION_PROTOCOLS } from './listeners';

/**
 * Istio's HTTP/1.0 switch (istiod `features.HTTP10 || enableHTTP10(node.Metadata.HTTP10)`): with
 * `PILOT_HTTP10` or a proxy's `HTTP10: "1"` metadata every HCM of that proxy gets
 * `http_protocol_options.accept_http_10`; without it Envoy answers HTTP/1.0 `426 Upgrade Required`.
 * Only the mesh-wide switch also lets sniffed plaintext chains match `http/1.0` (plaintextHTTPALPNs).
 */
export function withHttp10(ctx: TranslateContext, listeners: Listener[]): Listener[] {
  const global = ctx.options.http10 === true;
  if (!global && ctx.proxy.http10 !== true) return listeners;
  return listeners.map((l) => ({
    ...l,
    ...(l.filter_chains !== undefined && { filter_chains: l.filter_chains.map((c) => chain(c, global)) }),
    ...(l.default_filter_chain !== undefined && { default_filter_chain: chain(l.default_filter_chain, global) }),
  }));
}

function chain(c: FilterChain, global: boolean): FilterChain {
  const alpn = c.filter_chain_match?.application_protocols;
  const plaintextHttp = global && alpn !== undefined && alpn.length === HTTP_APPLICATION_PROTOCOLS.length && alpn.every((a, i) => a === HTTP_APPLICATION_PROTOCOLS[i]);
  return {
    ...c,
    ...(plaintextHttp && { filter_chain_match: { ...c.filter_chain_match, application_protocols: ['http/1.0', ...HTTP_APPLICATION_PROTOCOLS] } }),
    ...(c.filters !== undefined && { filters: c.filters.map(acceptHttp10) }),
  };
}

function acceptHttp10(f: NetworkFilter): NetworkFilter {
  if (f.name !== HCM_FILTER_NAME || f.typed_config === undefined) return f;
  const hcm = f.typed_config as unknown as HttpConnectionManager;
  const next: HttpConnectionManager = { ...hcm, http_protocol_options: { ...hcm.http_protocol_options, accept_http_10: true } };
  return { ...f, typed_config: next as unknown as NetworkFilter['typed_config'] };
}
