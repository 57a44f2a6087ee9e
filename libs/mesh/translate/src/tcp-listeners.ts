import type { Listener } from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';
import { socketAddress, tcpProxyChain } from './listeners';
import { listenerName, outboundClusterName } from './naming';
import { isHttpPort } from './services';

/**
 * Sidecar outbound for TCP service ports (REDIRECT capture): `<clusterIP>_<port>`, `bind_to_port:
 * false`, one tcp_proxy to `outbound|<port>||<host>`. virtualOutbound hands a captured connection to
 * it by its original destination (SO_ORIGINAL_DST). Services without a VIP get none: a
 * `0.0.0.0_<port>` tcp_proxy would claim every destination on that port (external HTTPS on 443
 * among them); those need SNI/destination-subnet chains, still to come, and meanwhile pass through.
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
      out.set(name, {
        name,
        address: socketAddress(vip, p.port),
        bind_to_port: { value: false },
        traffic_direction: 'OUTBOUND',
        filter_chains: [tcpProxyChain(outboundClusterName(p.port, svc.hostname))],
      });
    }
  }
  return [...out.values()];
}
