import type { MtlsMode } from '@trellis/mesh-api';
import {
  HTTP_INSPECTOR_FILTER_NAME,
  HTTP_INSPECTOR_TYPE,
  TLS_INSPECTOR_FILTER_NAME,
  TLS_INSPECTOR_TYPE,
  TLS_TRANSPORT_PROTOCOL,
  type FilterChain,
  type FilterChainMatch,
  type Listener,
  type ListenerFilter,
} from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';
import { inboundRouteConfig, ownPeerAuthentication, type InboundPort } from './inbound';
import { chainOptions, type ChainOption, type PortKind } from './inbound-chain-options';
import { inboundTlsSocket } from './inbound-tls';
import { catchAllRoutes, hcmChain, socketAddress, tcpProxyChain, type HcmOptions } from './listeners';
import { INBOUND_CAPTURE_PORT, INBOUND_PASSTHROUGH_CLUSTER, inboundClusterName, listenerName, VIRTUAL_INBOUND, WILDCARD_ADDRESS } from './naming';
import { inboundSecurityFilters, type SecurityFilters } from './security';
import { tcpListenerMetadataExchange } from './telemetry/tcp-metadata-exchange';

/**
 * Inbound listeners: REDIRECT's `virtualInbound` (15006) with one set of chains per port plus the
 * passthrough chains, or NONE's `<podIP>_<port>` listeners bound on the pod address. Which chains a
 * port gets follows its PeerAuthentication mode (inbound-chain-options.ts); mTLS chains terminate TLS
 * with the DownstreamTlsContext of inbound-tls.ts, and every inbound HCM forwards client certificate
 * details as Istio's sidecars do (XFCC). Every chain carries the workload's security filters
 * (security/index.ts): HTTP ones in the HCM, network ones before tcp_proxy.
 */

/** Where the chains go: their HCM stat prefix and listener name, and whether XFCC handling is emitted. */
interface ChainSite {
  readonly name: string;
  readonly statPrefix: string;
  readonly xfcc: boolean;
}

function portKind(p: InboundPort): PortKind {
  return p.http ? 'http' : p.auto ? 'auto' : 'tcp';
}

function match(base: FilterChainMatch, o: ChainOption): FilterChainMatch | undefined {
  const m: FilterChainMatch = { ...base };
  if (o.transport !== undefined) m.transport_protocol = o.transport;
  if (o.alpn !== undefined) m.application_protocols = [...o.alpn];
  return Object.keys(m).length > 0 ? m : undefined;
}

const NO_SECURITY: SecurityFilters = { http: [], tcp: [] };

/** One chain: HCM (inline routes) or tcp_proxy to `cluster`, TLS-terminating when the option says so. */
function chain(o: ChainOption, names: { http: string; tcp: string }, hcm: HcmOptions, cluster: string, base: FilterChainMatch, tcpFilters: SecurityFilters['tcp']): FilterChain {
  const m = match(base, o);
  const extra = {
    name: o.protocol === 'http' ? names.http : names.tcp,
    ...(m && { filter_chain_match: m }),
    ...(o.tls && { transport_socket: inboundTlsSocket(o.protocol) }),
  };
  // istiod: the TCP metadata exchange first (it acts on `istio-peer-exchange` mTLS connections only).
  return o.protocol === 'http' ? hcmChain({ ...hcm, telemetry: 'inbound' }, extra) : tcpProxyChain(cluster, extra, [tcpListenerMetadataExchange(), ...tcpFilters], 'inbound');
}

function hcmOptions(p: InboundPort, site: ChainSite, security: SecurityFilters): HcmOptions {
  return { statPrefix: site.statPrefix, routes: inboundRouteConfig(p), fault: false, useRemoteAddress: false, xfcc: site.xfcc, securityFilters: security.http };
}

/** One port's chains on virtualInbound: matched by destination_port, then transport and ALPN. */
function portChains(p: InboundPort, xfcc: boolean, security: SecurityFilters): FilterChain[] {
  const name = listenerName(WILDCARD_ADDRESS, p.listenPort);
  const kind = portKind(p);
  const names = { http: name, tcp: kind === 'auto' ? `${name}-tcp` : name };
  const hcm = hcmOptions(p, { name, statPrefix: `inbound_${name}`, xfcc }, security);
  const base = { destination_port: { value: p.listenPort } };
  return chainOptions(kind, p.mode).map((o) => chain(o, names, hcm, inboundClusterName(p.targetPort), base, security.tcp));
}

/** Istio's passthrough chains for ports no Service declares: detected protocol, the workload-level mode. */
function passthroughChains(mode: MtlsMode | undefined, xfcc: boolean, security: SecurityFilters): FilterChain[] {
  const hcm: HcmOptions = {
    statPrefix: INBOUND_PASSTHROUGH_CLUSTER,
    routes: catchAllRoutes('inbound_passthrough', INBOUND_PASSTHROUGH_CLUSTER),
    fault: false,
    xfcc,
    securityFilters: security.http,
  };
  const names = { http: INBOUND_PASSTHROUGH_CLUSTER, tcp: `${VIRTUAL_INBOUND}-catchall-tcp` };
  return chainOptions('auto', mode).map((o) => chain(o, names, hcm, INBOUND_PASSTHROUGH_CLUSTER, {}, security.tcp));
}

const TLS_INSPECTOR: ListenerFilter = { name: TLS_INSPECTOR_FILTER_NAME, typed_config: { '@type': TLS_INSPECTOR_TYPE } };
const HTTP_INSPECTOR: ListenerFilter = { name: HTTP_INSPECTOR_FILTER_NAME, typed_config: { '@type': HTTP_INSPECTOR_TYPE } };

/** tls_inspector when a chain matches on TLS, then http_inspector when asked (Istio's order). */
function listenerFilters(chains: readonly FilterChain[], http: boolean): ListenerFilter[] {
  const tls = chains.some((c) => c.filter_chain_match?.transport_protocol === TLS_TRANSPORT_PROTOCOL);
  return [...(tls ? [TLS_INSPECTOR] : []), ...(http ? [HTTP_INSPECTOR] : [])];
}

/** REDIRECT: `virtualInbound` on 0.0.0.0:15006, the chains of every port plus the passthrough chains. */
export function virtualInboundListener(ports: readonly InboundPort[], passthroughMode?: MtlsMode, security: SecurityFilters = NO_SECURITY): Listener {
  const xfcc = passthroughMode !== undefined;
  const chains = [...ports.flatMap((p) => portChains(p, xfcc, security)), ...passthroughChains(passthroughMode, xfcc, security)];
  const filters = listenerFilters(chains, ports.some((p) => !p.http && p.auto));
  return {
    name: VIRTUAL_INBOUND,
    address: socketAddress(WILDCARD_ADDRESS, INBOUND_CAPTURE_PORT),
    use_original_dst: { value: true },
    traffic_direction: 'INBOUND',
    ...(filters.length > 0 && { listener_filters: filters }),
    filter_chains: chains,
  };
}

/**
 * NONE (local mode): one listener `<podIP>_<port>` bound at the pod address per port. Nothing sniffs
 * the protocol there, so an undeclared port is served as HTTP (local mode's apps are); with mTLS the
 * port's chains are told apart by transport protocol (tls_inspector) only.
 */
export function directInboundListener(p: InboundPort, podIp: string, security: SecurityFilters = NO_SECURITY): Listener {
  const name = listenerName(podIp, p.listenPort);
  const xfcc = p.mode !== undefined;
  const hcm = hcmOptions(p, { name, statPrefix: `inbound_${name}`, xfcc }, security);
  const kind: PortKind = p.http || p.auto ? 'http' : 'tcp';
  const chains = chainOptions(kind, p.mode).map((o) => chain(o, { http: '', tcp: '' }, hcm, inboundClusterName(p.targetPort), {}, security.tcp));
  const unnamed = chains.map(({ name: _name, ...c }) => c);
  const filters = listenerFilters(unnamed, false);
  return {
    name,
    address: socketAddress(podIp, p.listenPort),
    traffic_direction: 'INBOUND',
    ...(filters.length > 0 && { listener_filters: filters }),
    filter_chains: unnamed,
  };
}

export function inboundListeners(ctx: TranslateContext, ports: readonly InboundPort[]): Listener[] {
  const security = inboundSecurityFilters(ctx);
  if (ctx.proxy.interception === 'NONE') return ports.map((p) => directInboundListener(p, ctx.proxy.ipAddress, security));
  return [virtualInboundListener(ports, ownPeerAuthentication(ctx)?.mode, security)];
}
