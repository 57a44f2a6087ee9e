import type { Socket } from 'node:net';
import type { ProxyContext } from '../proxy-context';
import type { CompiledTcpProxy } from '../tcp/tcp-proxy-config';
import type { OriginalDestination } from '../unsafe/original-dst';
import type { ListenerConfig } from './listener-config';

/** A captured connection that is TCP, not HTTP: the tcp_proxy that serves it and where it was going. */
export interface CapturedTcp {
  readonly tcp: CompiledTcpProxy;
  readonly dst: OriginalDestination;
}

/** The listener's catch-all tcp chain (no destination_port, no HCM): Istio's PassthroughCluster / InboundPassthroughCluster. */
function catchAll(l: ListenerConfig): CompiledTcpProxy | undefined {
  return l.chains.find((c) => c.destinationPort === undefined && c.hcm === undefined && c.tcp !== undefined)?.tcp;
}

/** virtualOutbound: the listener the original `ip:port` names (`<vip>_<port>`, else `0.0.0.0_<port>`), as Envoy's use_original_dst. */
function outbound(ctx: ProxyContext, capture: ListenerConfig, dst: OriginalDestination): CompiledTcpProxy | undefined {
  const l = ctx.listeners.get(`${dst.address}_${dst.port}`) ?? ctx.listeners.get(`0.0.0.0_${dst.port}`);
  if (l === undefined) return catchAll(capture);
  return l.hcm === undefined ? l.tcp : undefined;
}

/** virtualInbound: the chain whose destination_port is the original port, else the catch-all. */
function inbound(capture: ListenerConfig, port: number): CompiledTcpProxy | undefined {
  const chain = capture.chains.find((c) => c.destinationPort === port);
  if (chain === undefined) return catchAll(capture);
  return chain.hcm === undefined ? chain.tcp : undefined;
}

/**
 * Which connections a capture listener (`use_original_dst`) hands to a tcp_proxy instead of its HTTP
 * codecs, decided from SO_ORIGINAL_DST when the proxy can read it (unsafe/original-dst.ts): a
 * destination whose listener or chain is a tcp_proxy, or one nothing claims (passthrough, or the
 * black hole under REGISTRY_ONLY). HTTP destinations keep the HTTP path and its Host-based routing.
 * Without the reader every connection stays HTTP, as before.
 */
export function captureTcpRoute(ctx: ProxyContext, listener: ListenerConfig, socket: Socket): CapturedTcp | undefined {
  const reader = ctx.originalDst;
  if (!listener.useOriginalDst || !reader.available) return undefined;
  const dst = reader.read(socket);
  if (dst === undefined) return undefined;
  const tcp = listener.direction === 'INBOUND' ? inbound(listener, dst.port) : outbound(ctx, listener, dst);
  return tcp === undefined ? undefined : { tcp, dst };
}
