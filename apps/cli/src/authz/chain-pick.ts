import { HCM_TYPE, type Received } from '@trellis/mesh-envoy';
import type { DumpListener } from '../proxy-config/envoy-access';

type Chain = NonNullable<DumpListener['filter_chains']>[number];
type NetworkFilter = NonNullable<Chain['filters']>[number];

/** The chain a request to `port` reaches, with its network filters and (HTTP) its HCM's http_filters. */
export interface PickedChain {
  readonly listener: string;
  readonly chain: string;
  /** The chain terminates TLS (Istio's inbound mTLS chain, a gateway's HTTPS server). */
  readonly tls: boolean;
  readonly networkFilters: readonly NetworkFilter[];
  /** The HCM's http_filters in order; undefined on a TCP chain. */
  readonly httpFilters: readonly Received<{ name?: string; typed_config?: { '@type': string } }>[] | undefined;
}

const hcmOf = (c: Chain): Record<string, unknown> | undefined =>
  c.filters?.find((f) => f.typed_config?.['@type'] === HCM_TYPE)?.typed_config as Record<string, unknown> | undefined;

/** Every chain serving `port`: virtualInbound's by destination_port, else a listener bound to the port. */
function chainsFor(listeners: readonly DumpListener[], port: number, inbound: boolean): { listener: string; chain: Chain }[] {
  const out: { listener: string; chain: Chain }[] = [];
  for (const l of listeners) {
    if (inbound && l.traffic_direction !== 'INBOUND' && l.name !== 'virtualInbound') continue;
    const bound = l.name === 'virtualInbound' ? undefined : l.address?.socket_address?.port_value;
    for (const c of l.filter_chains ?? []) {
      if ((c.filter_chain_match?.destination_port?.value ?? bound) === port) out.push({ listener: l.name ?? '', chain: c });
    }
  }
  return out;
}

/**
 * The chain a client reaches `port` on: for a sidecar its inbound chains (the mTLS one when the client
 * speaks mTLS, else plaintext), for a gateway the listener on that port. HTTP chains are preferred
 * unless `tcp`; undefined when nothing serves the port.
 */
export function pickChain(listeners: readonly DumpListener[], port: number, o: { inbound: boolean; mtls: boolean; tcp: boolean }): PickedChain | undefined {
  const all = chainsFor(listeners, port, o.inbound);
  const byKind = all.filter(({ chain }) => (hcmOf(chain) !== undefined) !== o.tcp);
  const candidates = byKind.length > 0 ? byKind : all;
  const tlsOf = (c: Chain): boolean => c.transport_socket !== undefined;
  const picked = candidates.find(({ chain }) => tlsOf(chain) === o.mtls) ?? candidates[0];
  if (picked === undefined) return undefined;
  const hcm = hcmOf(picked.chain);
  return {
    listener: picked.listener,
    chain: picked.chain.name ?? picked.listener,
    tls: tlsOf(picked.chain),
    networkFilters: picked.chain.filters ?? [],
    httpFilters: hcm === undefined ? undefined : ((hcm['http_filters'] ?? []) as PickedChain['httpFilters']),
  };
}

/** The ports some inbound chain (or, for a gateway, listener) serves, ascending: the error's hint. */
export function servedPorts(listeners: readonly DumpListener[], inbound: boolean): number[] {
  const ports = new Set<number>();
  for (const l of listeners) {
    if (inbound && l.traffic_direction !== 'INBOUND' && l.name !== 'virtualInbound') continue;
    const bound = l.name === 'virtualInbound' ? undefined : l.address?.socket_address?.port_value;
    for (const c of l.filter_chains ?? []) {
      const p = c.filter_chain_match?.destination_port?.value ?? bound;
      if (p !== undefined) ports.add(p);
    }
  }
  return [...ports].sort((a, b) => a - b);
}
