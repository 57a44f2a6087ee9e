import type { DumpListener } from '../proxy-config/envoy-access';
import { get } from '../proxy-config/envoy-access';

/** What a proxy's inbound side accepts, read from its listeners (not from the stored policy). */
export type ObservedMode = 'STRICT' | 'PERMISSIVE' | 'DISABLE';

export interface ObservedMtls {
  /** The workload's mode: its passthrough chains (virtualInbound); undefined without them (local mode). */
  readonly workload: ObservedMode | undefined;
  readonly ports: ReadonlyMap<number, ObservedMode>;
  /** Some inbound chain terminates mutual TLS: the control plane emits mTLS for this proxy. */
  readonly anyMtls: boolean;
}

type Chain = NonNullable<DumpListener['filter_chains']>[number];

const DOWNSTREAM_TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext';

/** The chain terminates TLS and requires a client certificate (Istio's inbound mTLS chain). */
function acceptsMtls(c: Chain): boolean {
  const ctx = c.transport_socket?.typed_config;
  return get(ctx, '@type') === DOWNSTREAM_TLS && get(ctx, 'require_client_certificate', 'value') === true;
}

/** Plaintext reaches the chain: `raw_buffer`, or no transport protocol at all (mTLS not emitted). */
function acceptsPlaintext(c: Chain): boolean {
  const tp = c.filter_chain_match?.transport_protocol;
  return c.transport_socket === undefined && (tp === undefined || tp === '' || tp === 'raw_buffer');
}

function modeOf(chains: readonly Chain[]): ObservedMode | undefined {
  const mtls = chains.some(acceptsMtls);
  const plain = chains.some(acceptsPlaintext);
  if (mtls) return plain ? 'PERMISSIVE' : 'STRICT';
  return plain ? 'DISABLE' : undefined;
}

function add(map: Map<number, Chain[]>, port: number, chain: Chain): void {
  const list = map.get(port);
  if (list === undefined) map.set(port, [chain]);
  else list.push(chain);
}

/**
 * Envoy's inbound listeners as Istio writes them: `virtualInbound` (capture) with chains per
 * `destination_port` plus passthrough chains for the rest, or (local mode, interception NONE) one bound
 * `<podIP>_<port>` INBOUND listener per port. A port is STRICT when only mTLS chains serve it,
 * PERMISSIVE with both, DISABLE with plaintext only.
 */
export function observedMtls(listeners: readonly DumpListener[]): ObservedMtls {
  const byPort = new Map<number, Chain[]>();
  const passthrough: Chain[] = [];
  for (const l of listeners) {
    if (l.traffic_direction !== 'INBOUND' && l.name !== 'virtualInbound') continue;
    const bound = l.name === 'virtualInbound' ? undefined : l.address?.socket_address?.port_value;
    for (const c of l.filter_chains ?? []) {
      const port = c.filter_chain_match?.destination_port?.value ?? bound;
      if (port === undefined) passthrough.push(c);
      else add(byPort, port, c);
    }
  }
  const ports = new Map<number, ObservedMode>();
  for (const [port, chains] of byPort) {
    const mode = modeOf(chains);
    if (mode !== undefined) ports.set(port, mode);
  }
  const all = [...byPort.values()].flat().concat(passthrough);
  // Only the passthrough chains carry the workload-level mode; without them (local mode's bound
  // listeners) it is not observable: a port's mode may be a portLevelMtls override.
  return { workload: modeOf(passthrough), ports, anyMtls: all.some(acceptsMtls) };
}

/** The listeners of an Envoy admin `/config_dump` (ListenersConfigDump's dynamic active listeners). */
export function listenersOfAdminDump(dump: unknown): DumpListener[] {
  const configs = get(dump, 'configs');
  if (!Array.isArray(configs)) return [];
  const section = configs.find((c) => String(get(c, '@type')).endsWith('envoy.admin.v3.ListenersConfigDump'));
  const dynamic = get(section, 'dynamic_listeners');
  if (!Array.isArray(dynamic)) return [];
  return dynamic.map((d) => get(d, 'active_state', 'listener')).filter((l): l is DumpListener => l !== null && typeof l === 'object');
}
