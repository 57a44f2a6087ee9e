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
 * virtualInbound (REDIRECT mode) picks its filter chain by destination port, which Envoy reads
 * with SO_ORIGINAL_DST. Node has no such call, so the request's Host/:authority port stands in:
 * 1. the Host port, when a chain matches it (`destination_port`) and serves HTTP;
 * 2. no port in Host: the single HTTP chain with a `destination_port`, if there is exactly one;
 * 3. otherwise undefined: the caller keeps the listener's own (passthrough) chain.
 */
export function selectInboundChain(listener: ListenerConfig, authority: string): ChainConfig | undefined {
  const portChains = listener.chains.filter((c) => c.destinationPort !== undefined && c.hcm !== undefined);
  const port = authorityPort(authority);
  if (port !== undefined) return portChains.find((c) => c.destinationPort === port);
  return portChains.length === 1 ? portChains[0] : undefined;
}
