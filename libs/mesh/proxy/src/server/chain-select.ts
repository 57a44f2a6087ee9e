import type { ChainConfig, ListenerConfig } from './listener-config';

/** The port written in an authority (`host:port`, `[v6]:port`); undefined when there is none. */
export function authorityPort(authority: string): number | undefined {
  const colon = authority.lastIndexOf(':');
  if (colon <= 0 || authority.endsWith(']')) return undefined;
  const text = authority.slice(colon + 1);
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}

/**
 * The endpoint (`ip:port`) an outbound proxy sent a request to, stamped by every Trellis proxy on
 * requests to EDS endpoints and removed again by the receiving sidecar before its app sees it. It is
 * Envoy's header for "the original destination" (`ORIGINAL_DST` clusters' `use_http_header`); here it
 * stands in for SO_ORIGINAL_DST, which Node cannot read, on REDIRECT-captured inbound connections.
 */
export const ORIGINAL_DST_HEADER = 'x-envoy-original-dst-host';

/**
 * virtualInbound (REDIRECT mode) picks its filter chain by destination port, which Envoy reads
 * with SO_ORIGINAL_DST. Node has no such call, so, in order:
 * 1. the port of `x-envoy-original-dst-host`, set by the sending Trellis proxy (mesh traffic, e.g.
 *    from the ingress gateway, whose Host is the external `host:nodePort`);
 * 2. the Host port, when a chain matches it (`destination_port`) and serves HTTP;
 * 3. no port in Host: the single HTTP chain with a `destination_port`, if there is exactly one;
 * 4. otherwise undefined: the caller keeps the listener's own (passthrough) chain.
 */
export function selectInboundChain(listener: ListenerConfig, authority: string, originalDst?: string): ChainConfig | undefined {
  const portChains = listener.chains.filter((c) => c.destinationPort !== undefined && c.hcm !== undefined);
  const port = authorityPort(originalDst ?? '') ?? authorityPort(authority);
  if (port !== undefined) return portChains.find((c) => c.destinationPort === port);
  return portChains.length === 1 ? portChains[0] : undefined;
}
