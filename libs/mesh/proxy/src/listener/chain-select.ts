import type { Exchange } from '../http/exchange';
import type { ChainConfig, HcmConfig, ListenerConfig } from './listener-config';
import type { ProxyContext } from '../proxy-context';
import { sendLocalReply } from '../http/local-reply';
import { passthroughRoute } from '../http/synthetic-routes';
import { capturedDestination } from './capture-route';

/** The port written in an authority (`host:port`, `[v6]:port`); undefined when there is none. */
export function authorityPort(authority: string): number | undefined {
  const colon = authority.lastIndexOf(':');
  if (colon <= 0 || authority.endsWith(']')) return undefined;
  const digits = authority.length - colon - 1;
  if (digits < 1 || digits > 5) return undefined;
  let port = 0;
  for (let i = colon + 1; i < authority.length; i++) {
    const d = authority.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    port = port * 10 + d;
  }
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
  const chains = httpChainsByPort(listener);
  const port = authorityPort(originalDst ?? '') ?? authorityPort(authority);
  if (port !== undefined) return chains.get(port);
  return chains.size === 1 ? chains.values().next().value : undefined;
}

/** A listener's HTTP chains by destination port (first wins), computed once per listener config. */
const chainIndexes = new WeakMap<ListenerConfig, Map<number, ChainConfig>>();

function httpChainsByPort(listener: ListenerConfig): Map<number, ChainConfig> {
  let index = chainIndexes.get(listener);
  if (index === undefined) {
    index = new Map();
    for (const c of listener.chains) {
      if (c.destinationPort !== undefined && c.hcm !== undefined && !index.has(c.destinationPort)) index.set(c.destinationPort, c);
    }
    chainIndexes.set(listener, index);
  }
  return index;
}

/**
 * Filter-chain selection for listeners with `use_original_dst` (Istio's virtualOutbound and
 * virtualInbound), per HTTP request by Host (SO_ORIGINAL_DST, when the proxy can read it, only takes
 * TCP destinations away before HTTP parsing: capture-tcp.ts): outbound, the authority's
 * port picks the `0.0.0.0_<port>` listener whose HCM routes it (or the ORIGINAL_DST passthrough);
 * inbound, its own chain for the port. false = answered (404 NR, nothing serves it).
 */
export function selectFilterChain(ex: Exchange): boolean {
  if (ex.target.listener.direction === 'INBOUND') return selectInboundTarget(ex);
  const choice = outboundChoice(ex.ctx, ex.target.listener, ex.authority);
  if (typeof choice === 'object') {
    ex.target = { listener: choice, hcm: choice.hcm as HcmConfig };
    return true;
  }
  if (choice === 'passthrough') {
    ex.route = passthroughRoute(ex.target.listener.passthroughCluster as string);
    ex.passthrough = true;
    return true;
  }
  if (choice === 'own') return true;
  sendLocalReply(ex, 'NO_ROUTE');
  return false;
}

/**
 * virtualOutbound's choice for a request's authority, without side effects (the data path above and
 * the admin's `/trellis/route` explain both call it): the `0.0.0.0_<port>` listener whose HCM routes
 * it, its ORIGINAL_DST passthrough cluster, the listener's own HCM, or 'none' (404 NR).
 */
export function outboundChoice(ctx: Pick<ProxyContext, 'listeners' | 'listenersByPort' | 'clusters'>, listener: ListenerConfig, authority: string): ListenerConfig | 'passthrough' | 'own' | 'none' {
  const port = authorityPort(authority) ?? 80;
  const l = ctx.listeners.get(`0.0.0.0_${port}`) ?? ctx.listenersByPort.get(port);
  if (l?.hcm !== undefined && l !== listener) return l;
  const own = listener.passthroughCluster;
  if (own !== undefined && ctx.clusters.get(own)?.config.type === 'ORIGINAL_DST') return 'passthrough';
  return listener.hcm !== undefined ? 'own' : 'none';
}

function selectInboundTarget(ex: Exchange): boolean {
  // SO_ORIGINAL_DST when the proxy read it (the truth: a client outside the mesh may say Host: <svc>:<service port>),
  // else the sending sidecar's x-envoy-original-dst-host, else the Host port.
  const dst = capturedDestination(ex.req.socket);
  const header = ex.headers[ORIGINAL_DST_HEADER];
  const hint = dst !== undefined ? `${dst.address}:${dst.port}` : typeof header === 'string' ? header : undefined;
  const chain = selectInboundChain(ex.target.listener, ex.authority, hint);
  if (chain?.hcm !== undefined) {
    ex.target = { listener: ex.target.listener, hcm: chain.hcm };
    return true;
  }
  if (ex.target.listener.hcm !== undefined) return true;
  sendLocalReply(ex, 'NO_ROUTE');
  return false;
}
