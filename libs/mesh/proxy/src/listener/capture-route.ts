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
 *
 * Bound listeners whose chains are chosen per connection (`chainsPerConnection`: TLS termination or
 * transport_protocol matches, e.g. local mode's `<podIP>_<port>` under PERMISSIVE) take the same path
 * with their own port and local address as the destination. A chosen chain that terminates TLS never
 * goes straight to the HTTP codecs: the caller terminates first.
 */

export type CaptureRoute =
  /** The HTTP codecs; the request's Host routes it. */
  | { readonly kind: 'http' }
  /** Decided: this chain of `owner` (a tcp_proxy, an HTTP chain, or none = closed). */
  | { readonly kind: 'chain'; readonly chain: ChainConfig | undefined; readonly dst: OriginalDestination; readonly owner: ListenerConfig }
  /** The chains still in the running need the connection's first bytes. */
  | {
      readonly kind: 'inspect';
      readonly chains: readonly ChainConfig[];
      readonly facts: ConnectionFacts;
      readonly inspectors: Inspectors;
      readonly dst: OriginalDestination;
      readonly owner: ListenerConfig;
    };

const HTTP: CaptureRoute = { kind: 'http' };

/**
 * SO_ORIGINAL_DST of captured connections, for the HTTP path (capturedDestination), as a property of the
 * socket the codec reads (the TCP socket, or the TLSSocket over it: rememberCaptured). A property and not a
 * WeakMap entry because an HTTP/2 request's `req.socket` is Node's compat Proxy, which is not the socket
 * but forwards property reads to it: keyed by identity, h2c requests (a gRPC client such as a gateway's
 * rate-limit call) found no destination and virtualInbound fell back to its passthrough chain.
 */
const CAPTURED = Symbol('trellis.capturedDestination');
type Marked = { [CAPTURED]?: OriginalDestination };

/** Records where a captured connection was going on the socket its HTTP codec will read. */
export function rememberCaptured(socket: Socket, dst: OriginalDestination): void {
  (socket as Marked)[CAPTURED] = dst;
}

/**
 * Where a captured connection was going, when the proxy could read it: the HTTP path uses it as Envoy
 * does — virtualInbound's chain by the original port, the passthrough clusters' upstream host — before
 * any header. `socket` is a request's `req.socket` (HTTP/1: the socket; HTTP/2: the compat Proxy of it).
 */
export function capturedDestination(socket: object | undefined): OriginalDestination | undefined {
  return socket === undefined ? undefined : (socket as Marked)[CAPTURED];
}

/** The listener a redirected outbound connection belongs to (Envoy's use_original_dst lookup). */
function handoff(ctx: ProxyContext, dst: OriginalDestination): ListenerConfig | undefined {
  return ctx.listeners.get(`${dst.address}_${dst.port}`) ?? ctx.listeners.get(`0.0.0.0_${dst.port}`);
}

function route(owner: ListenerConfig, dst: OriginalDestination): CaptureRoute {
  const { chains, inspectors } = owner;
  const facts: ConnectionFacts = { destinationPort: dst.port, destinationIp: dst.address };
  if (mustInspect(chains, facts, inspectors)) return { kind: 'inspect', chains, facts, inspectors, dst, owner };
  return { kind: 'chain', chain: selectChain(chains, facts), dst, owner };
}

/** An HTTP chain without TLS keeps the HTTP path: its Host (and, inbound, x-envoy-original-dst-host) routes each request. */
function httpUnlessTls(decided: CaptureRoute): CaptureRoute {
  return decided.kind === 'chain' && decided.chain?.hcm !== undefined && decided.chain.tls === undefined ? HTTP : decided;
}

export function captureRoute(ctx: ProxyContext, listener: ListenerConfig, socket: Socket): CaptureRoute {
  if (!listener.useOriginalDst) {
    if (!listener.chainsPerConnection) return HTTP;
    const local: OriginalDestination = { address: socket.localAddress ?? listener.address, port: listener.port };
    return httpUnlessTls(route(listener, local));
  }
  const reader = ctx.originalDst;
  if (!reader.available) return HTTP;
  const dst = reader.read(socket);
  if (dst === undefined) return HTTP;
  rememberCaptured(socket, dst);
  const target = listener.direction === 'INBOUND' ? listener : (handoff(ctx, dst) ?? listener);
  return httpUnlessTls(route(target, dst));
}
