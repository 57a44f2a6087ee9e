import { type FilterChain, HTTP_INSPECTOR_TYPE, type Listener, TCP_PROXY_FILTER_NAME } from '@trellis/mesh-envoy';
import { sidecarTcpProxy } from './sidecar-tcp-routes';
import type { TranslateContext } from './context';
import { parseHostPort } from './endpoints';
import type { InboundPort } from './inbound';
import { hcmChain, HTTP_APPLICATION_PROTOCOLS, socketAddress, tcpProxyChain } from './listeners';
import { listenerName, outboundClusterName } from './naming';
import { isAutoPort, isHttpPort } from './services';
import { istioStatsNetworkFilter } from './telemetry/stats-filter';

/**
 * An undeclared (auto) port: http_inspector decides per connection — HTTP/1.x and h2c to the HTTP
 * route configuration `"<port>"`, everything else to the service's cluster as TCP (Istio's sniffing).
 */
function detectedChains(port: number, tcp: FilterChain, upstreamAlpn: boolean): Pick<Listener, 'listener_filters' | 'filter_chains'> {
  const http = hcmChain({ statPrefix: `outbound_0.0.0.0_${port}`, routes: String(port), upstreamAlpn }, { filter_chain_match: { application_protocols: [...HTTP_APPLICATION_PROTOCOLS] } });
  return {
    listener_filters: [{ name: 'envoy.filters.listener.http_inspector', typed_config: { '@type': HTTP_INSPECTOR_TYPE } }],
    filter_chains: [http, tcp],
  };
}

/**
 * Sidecar outbound for TCP service ports (REDIRECT capture): `<clusterIP>_<port>`, `bind_to_port:
 * false`, one tcp_proxy to `outbound|<port>||<host>` or where a mesh VirtualService's `tcp` route
 * sends it (sidecar-tcp-routes.ts). virtualOutbound hands a captured connection to
 * it by its original destination (SO_ORIGINAL_DST). Services without a VIP get none: a
 * `0.0.0.0_<port>` tcp_proxy would claim every destination on that port; their TLS ports are routed
 * by SNI (tls-listeners.ts), their other ports pass through.
 */
export function outboundTcpListeners(ctx: TranslateContext): Listener[] {
  const out = new Map<string, Listener>();
  for (const svc of ctx.services) {
    for (const p of svc.ports) {
      if (isHttpPort(p)) continue;
      // A ServiceEntry address may be a CIDR: that needs prefix_ranges chain matching, not a `<ip>_<port>` name.
      const vip = svc.addresses.find((a) => !a.includes('/'));
      if (vip === undefined) continue;
      const name = listenerName(vip, p.port);
      if (out.has(name)) continue;
      const tcp: FilterChain = { filters: [istioStatsNetworkFilter('outbound'), { name: TCP_PROXY_FILTER_NAME, typed_config: sidecarTcpProxy(ctx, svc, p.port, vip) }] };
      out.set(name, {
        name,
        address: socketAddress(vip, p.port),
        bind_to_port: { value: false },
        traffic_direction: 'OUTBOUND',
        ...(isAutoPort(p) ? detectedChains(p.port, tcp, ctx.options.mtls) : { filter_chains: [tcp] }),
      });
    }
  }
  return [...out.values()];
}

/** Istio's own proxy ports: a listener on the pod address never takes them. */
const PROXY_PORTS: readonly number[] = [15000, 15001, 15004, 15006, 15020, 15021, 15053, 15090];

/** The ports a NONE sidecar's pod already uses on its address: its inbound listeners, the app's own ports, the proxy's. */
export function podAddressPorts(ctx: TranslateContext, inbound: readonly InboundPort[]): Set<number> {
  const ports = new Set<number>([...PROXY_PORTS, ...inbound.map((p) => p.listenPort)]);
  for (const endpoint of Object.values(ctx.proxy.appEndpoints ?? {})) {
    const app = parseHostPort(endpoint, 0);
    if (app.address === ctx.proxy.ipAddress) ports.add(app.port);
  }
  return ports;
}

/** Ports below this need privileges to bind. */
const PRIVILEGED_PORT_END = 1024;

/**
 * Sidecar outbound for TCP service ports without capture (`interception: NONE`, local mode): Istio's
 * Sidecar egress `bind` + `captureMode: NONE` shape. `<podIP>_<port>` is bound on the pod's own
 * address with one tcp_proxy to `outbound|<port>||<host>`; the app reaches it by resolving the
 * service's name to its own pod address (local mode's per-pod hosts file, docs/architecture.md).
 * An address holds one listener per port, so when Kubernetes services share a TCP port the first by
 * hostname gets it; ports the pod already uses (`taken`, see `podAddressPorts`) get none.
 * ServiceEntries get none: without capture nothing would send their traffic here. Privileged ports
 * (< 1024, e.g. the ingress gateway Service's https 443) get none either: local mode runs its proxies
 * as the user, who cannot bind them, and a failed bind would NACK the pod's whole LDS update.
 */
export function boundOutboundTcpListeners(ctx: TranslateContext, taken: ReadonlySet<number>): Listener[] {
  const podIp = ctx.proxy.ipAddress;
  const out = new Map<number, Listener>();
  const services = ctx.services.filter((s) => s.kubernetes).sort((a, b) => (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0));
  for (const svc of services) {
    for (const p of svc.ports) {
      if (isHttpPort(p) || p.port < PRIVILEGED_PORT_END || taken.has(p.port) || out.has(p.port)) continue;
      out.set(p.port, {
        name: listenerName(podIp, p.port),
        address: socketAddress(podIp, p.port),
        traffic_direction: 'OUTBOUND',
        filter_chains: [tcpProxyChain(outboundClusterName(p.port, svc.hostname))],
      });
    }
  }
  return [...out.values()];
}
