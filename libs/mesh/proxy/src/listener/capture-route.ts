import type { Socket } from 'node:net';
import type { ProxyContext } from '../proxy-context';
import type { OriginalDestination } from '../unsafe/original-dst';
import { type ConnectionFacts, selectChain } from './chain-match';
import { mustInspect } from './inspect-chain';
import type { ChainConfig, Inspectors, ListenerConfig } from './listener-config';

/*
 * Where a captured connection goes, from SO_ORIGINAL_DST (unsafe/original-dst.ts), before any HTTP
 * parsing — Envoy's `use_original_dst` (virtualOutbound hands the connection to the listener named
 * by the original `ip:port`, else `0.0.0.0:port`, else keeps it) and the original_dst listener filter
 * (virtualInbound picks its own chain by the original port). The chain is then chosen by Envoy's
 * filter_chain_match (chain-match.ts); when that needs the first bytes (SNI, protocols) the
 * connection is inspected first (inspect-chain.ts). Without the reader every connection stays on
 * the HTTP path and its Host-based routing (chain-select.ts).
 */

export type CaptureRoute =
  /** The HTTP codecs; the request's Host routes it. */
  | { readonly kind: 'http' }
  /** Decided: this chain (a tcp_proxy, an HTTP chain, or none = closed). */
  | { readonly kind: 'chain'; readonly chain: ChainConfig | undefined; readonly dst: OriginalDestination }
  /** The chains still in the running need the connection's first bytes. */
  | {
      readonly kind: 'inspect';
      readonly chains: readonly ChainConfig[];
      readonly facts: ConnectionFacts;
      readonly inspectors: Inspectors;
      readonly dst: OriginalDestination;
    };

const HTTP: CaptureRoute = { kind: 'http' };

/** The listener a redirected outbound connection belongs to (Envoy's use_original_dst lookup). */
function handoff(ctx: ProxyContext, dst: OriginalDestination): ListenerConfig | undefined {
  return ctx.listeners.get(`${dst.address}_${dst.port}`) ?? ctx.listeners.get(`0.0.0.0_${dst.port}`);
}

function route(chains: readonly ChainConfig[], inspectors: Inspectors, dst: OriginalDestination): CaptureRoute {
  const facts: ConnectionFacts = { destinationPort: dst.port, destinationIp: dst.address };
  if (mustInspect(chains, facts, inspectors)) return { kind: 'inspect', chains, facts, inspectors, dst };
  return { kind: 'chain', chain: selectChain(chains, facts), dst };
}

export function captureRoute(ctx: ProxyContext, listener: ListenerConfig, socket: Socket): CaptureRoute {
  const reader = ctx.originalDst;
  if (!listener.useOriginalDst || !reader.available) return HTTP;
  const dst = reader.read(socket);
  if (dst === undefined) return HTTP;
  const target = listener.direction === 'INBOUND' ? listener : (handoff(ctx, dst) ?? listener);
  const decided = route(target.chains, target.inspectors, dst);
  // An HTTP chain keeps the HTTP path: its Host (and, inbound, x-envoy-original-dst-host) routes each request.
  return decided.kind === 'chain' && decided.chain?.hcm !== undefined ? HTTP : decided;
}
