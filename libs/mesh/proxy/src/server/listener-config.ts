import type { FilterChain, HttpConnectionManager, Listener, TcpProxy } from '../config/envoy-types';
import { KNOWN_LISTENER_FILTER_TYPES, KNOWN_TYPES, invalid, requireName } from '../config/proto';
import { type RouteTable, compileRouteTable } from '../routing/route-table';

/** An HTTP connection manager compiled: where its routes come from and its per-request knobs. */
export interface HcmConfig {
  readonly statPrefix: string;
  readonly rdsName: string | undefined;
  readonly inlineRoutes: RouteTable | undefined;
  readonly generateRequestId: boolean;
  readonly useRemoteAddress: boolean;
  readonly maxRequestHeadersBytes: number;
  readonly faultEnabled: boolean;
}

/** One filter chain compiled: its `destination_port` match (if any) and what it serves. */
export interface ChainConfig {
  readonly name: string;
  readonly destinationPort: number | undefined;
  readonly hcm: HcmConfig | undefined;
  readonly tcpCluster: string | undefined;
}

/** A Listener compiled. `hcm` is the chain serving HTTP; `passthroughCluster` a tcp_proxy fallback. */
export interface ListenerConfig {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly bind: boolean;
  readonly useOriginalDst: boolean;
  readonly direction: 'INBOUND' | 'OUTBOUND' | 'UNSPECIFIED';
  readonly hcm: HcmConfig | undefined;
  readonly passthroughCluster: string | undefined;
  /**
   * Every filter chain in order (`default_filter_chain` excluded). virtualInbound picks one per
   * request by the Host port (no SO_ORIGINAL_DST in Node): see `server/chain-select.ts`.
   */
  readonly chains: readonly ChainConfig[];
  /** Canonical JSON of the resource; equal fingerprints mean "unchanged" on LDS updates. */
  readonly fingerprint: string;
}

const HTTP_FILTERS = new Set<string>([KNOWN_TYPES.router, KNOWN_TYPES.fault]);
const DEFAULT_MAX_HEADERS_KB = 60;

function compileHcm(resource: string, h: HttpConnectionManager): HcmConfig {
  const filters = h.http_filters ?? [];
  for (const f of filters) {
    const type = f.typed_config?.['@type'];
    if (typeof type !== 'string' || !HTTP_FILTERS.has(type)) {
      throw invalid(resource, `unknown http filter ${String(f.name)} typed_config ${String(type)}`);
    }
  }
  if (filters.length > 0 && filters[filters.length - 1].typed_config?.['@type'] !== KNOWN_TYPES.router) {
    throw invalid(resource, 'the last http filter must be envoy.filters.http.router');
  }
  const rdsName = h.rds?.route_config_name;
  if (h.route_config === undefined && (typeof rdsName !== 'string' || rdsName === '')) {
    throw invalid(resource, 'http_connection_manager needs rds.route_config_name or route_config');
  }
  const kb = h.max_request_headers_kb?.value ?? DEFAULT_MAX_HEADERS_KB;
  if (!Number.isInteger(kb) || kb < 1 || kb > 8192) throw invalid(resource, `max_request_headers_kb ${kb} out of range`);
  return {
    statPrefix: h.stat_prefix ?? '',
    rdsName: h.route_config === undefined ? rdsName : undefined,
    inlineRoutes: h.route_config ? compileRouteTable(h.route_config, `${resource} inline`) : undefined,
    generateRequestId: h.generate_request_id?.value !== false,
    useRemoteAddress: h.use_remote_address?.value === true,
    maxRequestHeadersBytes: kb * 1024,
    faultEnabled: filters.some((f) => f.typed_config?.['@type'] === KNOWN_TYPES.fault),
  };
}

interface ChainResult {
  hcm: HcmConfig | undefined;
  tcpCluster: string | undefined;
}

function compileChain(resource: string, chain: FilterChain): ChainResult {
  const out: ChainResult = { hcm: undefined, tcpCluster: undefined };
  for (const f of chain.filters ?? []) {
    const type = f.typed_config?.['@type'];
    if (type === KNOWN_TYPES.hcm) out.hcm = compileHcm(resource, f.typed_config as HttpConnectionManager);
    else if (type === KNOWN_TYPES.tcpProxy) out.tcpCluster = (f.typed_config as TcpProxy).cluster;
    else throw invalid(resource, `unknown network filter ${String(f.name)} typed_config ${String(type)}`);
  }
  return out;
}

/** The chain for this listener's own port: exact destination_port, else one without a port match. */
function pickChain(chains: readonly FilterChain[], port: number, fallback: FilterChain | undefined): FilterChain | undefined {
  return (
    chains.find((c) => c.filter_chain_match?.destination_port?.value === port) ??
    chains.find((c) => c.filter_chain_match?.destination_port === undefined) ??
    fallback ??
    chains[0]
  );
}

export function compileListener(l: Listener, index: number): ListenerConfig {
  const name = requireName('listener', l.name, index);
  const resource = `listener ${name}`;
  const sa = l.address?.socket_address;
  if (typeof sa?.address !== 'string' || typeof sa.port_value !== 'number') {
    throw invalid(resource, 'address.socket_address needs address and port_value');
  }
  for (const lf of l.listener_filters ?? []) {
    const type = lf.typed_config?.['@type'];
    if (typeof type !== 'string' || !KNOWN_LISTENER_FILTER_TYPES.has(type)) {
      throw invalid(resource, `unknown listener filter ${String(lf.name)} typed_config ${String(type)}`);
    }
  }
  const chains = l.filter_chains ?? [];
  const compiled = chains.map((c, i) => compileChain(`${resource} filter chain ${c.name ?? i}`, c));
  const def = l.default_filter_chain ? compileChain(`${resource} default_filter_chain`, l.default_filter_chain) : undefined;
  const chosen = pickChain(chains, sa.port_value, l.default_filter_chain);
  const picked = chosen === undefined || chosen === l.default_filter_chain ? def : compiled[chains.indexOf(chosen)];
  return {
    name,
    address: sa.address,
    port: sa.port_value,
    bind: l.bind_to_port?.value !== false,
    useOriginalDst: l.use_original_dst?.value === true,
    direction: l.traffic_direction ?? 'UNSPECIFIED',
    hcm: picked?.hcm ?? compiled.find((c) => c.hcm)?.hcm ?? def?.hcm,
    passthroughCluster: picked?.tcpCluster ?? compiled.find((c) => c.tcpCluster)?.tcpCluster ?? def?.tcpCluster,
    chains: compiled.map((r, i) => ({
      name: chains[i].name ?? String(i),
      destinationPort: chains[i].filter_chain_match?.destination_port?.value,
      hcm: r.hcm,
      tcpCluster: r.tcpCluster,
    })),
    fingerprint: JSON.stringify(l),
  };
}
