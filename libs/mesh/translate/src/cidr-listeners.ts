import type { FilterChain, Listener } from '@trellis/mesh-envoy';
import type { TranslateContext } from './context';
import { socketAddress, tcpProxyChain } from './listeners';
import { BLACKHOLE_CLUSTER, listenerName, outboundClusterName, PASSTHROUGH_CLUSTER, WILDCARD_ADDRESS } from './naming';
import { registryOnly } from './outbound-policy';
import { isHttpPort } from './services';
import { PASSTHROUGH_FILTER_CHAIN } from './tls-listeners';

/** `10.0.0.0/8` → { address_prefix, prefix_len }; a bare address is a host route. */
function cidrRange(cidr: string): { address_prefix: string; prefix_len: { value: number } } {
  const [address = '', bits] = cidr.split('/');
  return { address_prefix: address, prefix_len: { value: bits === undefined ? (address.includes(':') ? 128 : 32) : Number(bits) } };
}

/**
 * Sidecar outbound for non-HTTP ports of services whose addresses are CIDR ranges (ServiceEntry
 * `addresses: [192.0.2.0/24]`): one `0.0.0.0_<port>` listener (bind_to_port false), a chain per
 * service matching its ranges (`prefix_ranges`, the longest prefix wins in the proxy as in Envoy) →
 * `outbound|<port>||<host>`, then Istio's fallthrough chain (PassthroughCluster, or BlackHoleCluster
 * under REGISTRY_ONLY). Ports already served as `0.0.0.0_<port>` (HTTP, SNI-routed TLS) are left to them.
 */
export function outboundCidrListeners(ctx: TranslateContext, taken: ReadonlySet<number>): Listener[] {
  const byPort = new Map<number, FilterChain[]>();
  for (const svc of ctx.services) {
    const ranges = svc.addresses.filter((a) => a.includes('/'));
    if (ranges.length === 0) continue;
    for (const p of svc.ports) {
      if (isHttpPort(p) || taken.has(p.port)) continue;
      const chains = byPort.get(p.port) ?? [];
      chains.push(tcpProxyChain(outboundClusterName(p.port, svc.hostname), { filter_chain_match: { prefix_ranges: ranges.map(cidrRange) } }));
      byPort.set(p.port, chains);
    }
  }
  const fallthrough = registryOnly(ctx) ? BLACKHOLE_CLUSTER : PASSTHROUGH_CLUSTER;
  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, chains]) => ({
      name: listenerName(WILDCARD_ADDRESS, port),
      address: socketAddress(WILDCARD_ADDRESS, port),
      bind_to_port: { value: false },
      traffic_direction: 'OUTBOUND',
      filter_chains: [...chains, tcpProxyChain(fallthrough, { name: PASSTHROUGH_FILTER_CHAIN })],
    }));
}
