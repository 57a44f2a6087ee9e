import type { FilterChain, HttpConnectionManager, Listener, TcpProxy } from '../config/envoy-types';
import { HTTP_INSPECTOR_TYPE, ISTIO_STATS_TYPE, TLS_INSPECTOR_TYPE } from '@trellis/mesh-envoy';
import { KNOWN_LISTENER_FILTER_TYPES, KNOWN_TYPES, durationMs, invalid, requireName } from '../config/proto';
import type { CompileEnv } from '../http/filter';
import { type HcmConfig, compileHcm } from '../http/hcm-config';
import { type CompiledTcpProxy, compileTcpProxy } from '../tcp/tcp-proxy-config';
import { type CompiledNetworkRbac, compileNetworkRbac } from '../tcp/network-rbac';
import { type CompiledTcpIstioStats, compileTcpIstioStats } from '../tcp/istio-stats';
import { type CompiledMetadataExchange, compileMetadataExchange, isMetadataExchange } from '../tcp/metadata-exchange';
import { type ChainMatch, compilePrefix } from './chain-match';
import { LISTENER_FILTERS_TIMEOUT_MS } from './sniff-socket';
import { type DownstreamTlsConfig, compileDownstreamTls } from '../tls/downstream-tls-config';

export type { HcmConfig };

/** One filter chain compiled: its `destination_port` match (if any) and what it serves. */
export interface ChainConfig {
  readonly name: string;
  readonly destinationPort: number | undefined;
  readonly hcm: HcmConfig | undefined;
  readonly tcpCluster: string | undefined;
  /** The chain's tcp_proxy, when it has one. */
  readonly tcp: CompiledTcpProxy | undefined;
  /** `filter_chain_match.server_names` (TLS SNI, from the ClientHello); undefined = any. */
  readonly serverNames: readonly string[] | undefined;
  /** The whole filter_chain_match, compiled (listener/chain-match.ts). */
  readonly match: ChainMatch;
  /** transport_socket with a DownstreamTlsContext: the chain terminates TLS (tls/terminate.ts). */
  readonly tls: DownstreamTlsConfig | undefined;
  /** envoy.filters.network.rbac before the terminal filter: checked once per connection (tcp/network-rbac.ts). */
  readonly networkRbac: CompiledNetworkRbac | undefined;
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
  /** The listener's own chain is a tcp_proxy (no HTTP): a TCP listener. */
  readonly tcp: CompiledTcpProxy | undefined;
  /** The network RBAC of the listener's own chain (connections served without a per-connection chain choice). */
  readonly networkRbac: CompiledNetworkRbac | undefined;
  /**
   * Every filter chain in order (`default_filter_chain` excluded). virtualInbound picks one per
   * HTTP request by the Host port (`listener/chain-select.ts`), TCP connections by SO_ORIGINAL_DST
   * (`listener/capture-tcp.ts`).
   */
  readonly chains: readonly ChainConfig[];
  /** Its listener filters that read first bytes: tls_inspector (SNI, ALPN), http_inspector (HTTP/1, h2c). */
  readonly inspectors: Inspectors;
  /**
   * A bound listener whose chains are chosen per connection before any codec: some chain terminates TLS
   * or matches on the transport protocol (Istio's PERMISSIVE/STRICT inbound chains).
   */
  readonly chainsPerConnection: boolean;
  /** Canonical JSON of the resource; equal fingerprints mean "unchanged" on LDS updates. */
  readonly fingerprint: string;
}

export interface Inspectors {
  readonly tls: boolean;
  readonly http: boolean;
  /** listener_filters_timeout (0 = none) and what happens then. */
  readonly timeoutMs: number;
  readonly continueOnTimeout: boolean;
}

interface ChainResult {
  hcm: HcmConfig | undefined;
  tcp: CompiledTcpProxy | undefined;
  tcpCluster: string | undefined;
  networkRbac: CompiledNetworkRbac | undefined;
}

function compileChain(resource: string, chain: FilterChain, env: CompileEnv, direction?: string): ChainResult {
  const out: ChainResult = { hcm: undefined, tcp: undefined, tcpCluster: undefined, networkRbac: undefined };
  let istioStats: CompiledTcpIstioStats | undefined;
  let mx: CompiledMetadataExchange | undefined;
  for (const f of chain.filters ?? []) {
    const type = f.typed_config?.['@type'];
    if (isMetadataExchange(f.typed_config)) {
      if (out.hcm !== undefined || out.tcp !== undefined) throw invalid(resource, `network filter ${String(f.name)} after the terminal filter`);
      mx = compileMetadataExchange(`${resource} network filter ${String(f.name)}`, f.typed_config ?? {});
    } else if (type === ISTIO_STATS_TYPE) {
      if (out.hcm !== undefined || out.tcp !== undefined) throw invalid(resource, `network filter ${String(f.name)} after the terminal filter`);
      istioStats = compileTcpIstioStats(`${resource} network filter ${String(f.name)}`, f.typed_config ?? {}, direction);
    } else if (type === KNOWN_TYPES.networkRbac) {
      if (out.hcm !== undefined || out.tcp !== undefined) throw invalid(resource, `network filter ${String(f.name)} after the terminal filter`);
      out.networkRbac = compileNetworkRbac(`${resource} network filter ${String(f.name)}`, f.typed_config ?? {}, env.counters);
    } else if (type === KNOWN_TYPES.hcm) {
      // The exchange is read off TCP streams only (tcp_proxy); translate puts it on TCP chains.
      if (mx !== undefined) throw invalid(resource, `network filter istio.metadata_exchange before ${String(f.name)}: supported before tcp_proxy only`);
      out.hcm = compileHcm(resource, f.typed_config as HttpConnectionManager, env);
    } else if (type === KNOWN_TYPES.tcpProxy) {
      out.tcp = compileTcpProxy(resource, f.typed_config as TcpProxy, env.counters, env.accessLogSinks);
      if (istioStats !== undefined) out.tcp = { ...out.tcp, istioStats };
      if (mx !== undefined) out.tcp = { ...out.tcp, metadataExchange: mx };
      out.tcpCluster = out.tcp.clusters[0]?.name;
    } else throw invalid(resource, `unknown network filter ${String(f.name)} typed_config ${String(type)}`);
  }
  return out;
}

function serverNamesOf(chain: FilterChain): readonly string[] | undefined {
  const names = chain.filter_chain_match?.server_names;
  return names === undefined || names.length === 0 ? undefined : names.map((n) => n.toLowerCase());
}

const nonEmpty = <T>(xs: readonly T[] | undefined): readonly T[] | undefined => (xs === undefined || xs.length === 0 ? undefined : xs);

/** filter_chain_match compiled; an unusable prefix range is a NACK naming the chain. */
function compileMatch(resource: string, chain: FilterChain): ChainMatch {
  const m = chain.filter_chain_match ?? {};
  let prefixRanges;
  try {
    prefixRanges = nonEmpty(m.prefix_ranges)?.map((r) => compilePrefix(r.address_prefix ?? '', r.prefix_len?.value ?? 0));
  } catch (err) {
    throw invalid(resource, (err as Error).message);
  }
  return {
    ...(m.destination_port?.value !== undefined && { destinationPort: m.destination_port.value }),
    ...(prefixRanges !== undefined && { prefixRanges }),
    ...(serverNamesOf(chain) !== undefined && { serverNames: serverNamesOf(chain) }),
    ...(m.transport_protocol !== undefined && m.transport_protocol !== '' && { transportProtocol: m.transport_protocol }),
    ...(nonEmpty(m.application_protocols) !== undefined && { applicationProtocols: m.application_protocols }),
  };
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

function inspectorsOf(l: Listener): Inspectors {
  const has = (type: string): boolean => (l.listener_filters ?? []).some((f) => f.typed_config?.['@type'] === type);
  return {
    tls: has(TLS_INSPECTOR_TYPE),
    http: has(HTTP_INSPECTOR_TYPE),
    timeoutMs: durationMs(l.listener_filters_timeout) ?? LISTENER_FILTERS_TIMEOUT_MS,
    continueOnTimeout: l.continue_on_listener_filters_timeout === true,
  };
}

export function compileListener(l: Listener, index: number, env: CompileEnv): ListenerConfig {
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
  const compiled = chains.map((c, i) => compileChain(`${resource} filter chain ${c.name ?? i}`, c, env, l.traffic_direction));
  const def = l.default_filter_chain ? compileChain(`${resource} default_filter_chain`, l.default_filter_chain, env, l.traffic_direction) : undefined;
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
    tcp: picked?.hcm === undefined ? picked?.tcp : undefined,
    networkRbac: picked?.networkRbac,
    chains: compiled.map((r, i) => ({
      name: chains[i].name ?? String(i),
      destinationPort: chains[i].filter_chain_match?.destination_port?.value,
      hcm: r.hcm,
      tcpCluster: r.tcpCluster,
      tcp: r.tcp,
      networkRbac: r.networkRbac,
      serverNames: serverNamesOf(chains[i]),
      match: compileMatch(`${resource} filter chain ${chains[i].name ?? i}`, chains[i]),
      tls: compileDownstreamTls(`${resource} filter chain ${chains[i].name ?? i}`, name, chains[i].transport_socket, env.counters, env.tls),
    })),
    inspectors: inspectorsOf(l),
    chainsPerConnection: chains.some((c) => c.transport_socket !== undefined || (c.filter_chain_match?.transport_protocol ?? '') !== ''),
    fingerprint: JSON.stringify(l),
  };
}
