import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ISTIO_TCP_MX_MESSAGE, type Received, TYPE_PREFIX, type ClusterFilter, type TcpMetadataExchangeConfig } from '@trellis/mesh-envoy';
import type { TypedConfig } from '../config/envoy-types';
import { KNOWN_TYPES, invalid } from '../config/proto';
import type { Counter, FilterCounters } from '../http/counters';
import { unwrapTypedStruct } from '../http/typed-struct';
import type { ProxyContext } from '../proxy-context';
import type { WorkloadInfo } from '../stats/workload';
import { PeerInterner, exchangeBytes } from './metadata-exchange-codec';
import { type ExchangeOutcome, ExchangeReader } from './metadata-exchange-reader';

/**
 * istio/proxy's `envoy.filters.network.metadata_exchange` (downstream, istiod's `istio.metadata_exchange`
 * first on inbound chains) and `envoy.filters.network.upstream.metadata_exchange` (the same config in a
 * Cluster's `filters`): on a connection whose negotiated ALPN is the config's `protocol`
 * (`istio-peer-exchange`), this proxy writes its own exchange first and reads the peer's off the front
 * of the stream (tcp-session.ts wires both into tcp_proxy's byte pumps); any other ALPN, or plaintext,
 * means no exchange. Envoy writes on the first byte either way; writing at once is the same on the wire.
 */
export interface CompiledMetadataExchange {
  readonly protocol: string;
}

const MX_TYPE = `${TYPE_PREFIX}${ISTIO_TCP_MX_MESSAGE}`;

/** A network or cluster filter's typed_config is the exchange (istiod sends it in a TypedStruct). */
export function isMetadataExchange(config: TypedConfig | undefined): boolean {
  const type = config?.['@type'];
  if (type === MX_TYPE) return true;
  return (type === KNOWN_TYPES.udpaTypedStruct || type === KNOWN_TYPES.xdsTypedStruct) && config?.['type_url'] === MX_TYPE;
}

export function compileMetadataExchange(resource: string, config: TypedConfig): CompiledMetadataExchange {
  const c = unwrapTypedStruct(resource, config) as Received<TcpMetadataExchangeConfig>;
  if (typeof c.protocol !== 'string' || c.protocol === '') throw invalid(resource, 'metadata_exchange protocol is required');
  return { protocol: c.protocol };
}

/** Cluster.filters: the upstream exchange, the only upstream network filter the proxy has; anything else NACKs the cluster. */
export function compileClusterFilters(resource: string, filters: readonly Received<ClusterFilter>[] | undefined): CompiledMetadataExchange | undefined {
  let mx: CompiledMetadataExchange | undefined;
  for (const [i, f] of (filters ?? []).entries()) {
    const field = `filters[${i}] ${String(f.name)}`;
    if (!isMetadataExchange(f.typed_config)) throw invalid(resource, `unknown upstream network filter ${field} typed_config ${String(f.typed_config?.['@type'])}`);
    mx = compileMetadataExchange(`${resource} ${field}`, f.typed_config ?? {});
  }
  return mx;
}

/** Envoy's `metadata_exchange.*` counters. */
interface MxStats {
  readonly alpnFound: Counter;
  readonly alpnNotFound: Counter;
  readonly metadataAdded: Counter;
  readonly outcomes: Readonly<Record<ExchangeOutcome, Counter | undefined>>;
}

const STATS = new WeakMap<FilterCounters, MxStats>();
const INTERNERS = new WeakMap<FilterCounters, PeerInterner>();

function statsOf(counters: FilterCounters): MxStats {
  let s = STATS.get(counters);
  if (s === undefined) {
    const c = (name: string): Counter => counters.counter(`metadata_exchange.${name}`);
    const headerNotFound = c('header_not_found');
    const outcomes = { found: undefined, closed: undefined, initial_header_not_found: c('initial_header_not_found'), header_not_found: headerNotFound };
    STATS.set(counters, (s = { alpnFound: c('alpn_protocol_found'), alpnNotFound: c('alpn_protocol_not_found'), metadataAdded: c('metadata_added'), outcomes }));
  }
  return s;
}

/** One interner per proxy (its counters live as long as it), so a peer is one object across LDS/CDS updates. */
function internerOf(counters: FilterCounters): PeerInterner {
  let i = INTERNERS.get(counters);
  if (i === undefined) INTERNERS.set(counters, (i = new PeerInterner()));
  return i;
}

/** What an exchange needs of the proxy: who it is (the bytes it writes), its counters, its logger. */
export type ExchangeEnv = Pick<ProxyContext, 'node' | 'filterCounters' | 'logger'>;

/**
 * Starts the exchange on a connected socket: with the config's ALPN, writes this proxy's exchange and
 * returns the reader for the peer's (`onPeer` gets the peer, or undefined when it sent none); with
 * another ALPN returns undefined (no exchange, nothing written).
 */
export function startExchange(ctx: ExchangeEnv, mx: CompiledMetadataExchange, socket: Socket, onPeer: (peer: WorkloadInfo | undefined) => void): ExchangeReader | undefined {
  const stats = statsOf(ctx.filterCounters);
  if ((socket as Partial<TLSSocket>).alpnProtocol !== mx.protocol) {
    stats.alpnNotFound.value++;
    return undefined;
  }
  stats.alpnFound.value++;
  socket.write(exchangeBytes(ctx.node));
  stats.metadataAdded.value++;
  return new ExchangeReader(internerOf(ctx.filterCounters), (peer, outcome) => {
    const counter = stats.outcomes[outcome];
    if (counter !== undefined) counter.value++;
    if (outcome === 'initial_header_not_found') ctx.logger.warn({ alpn: mx.protocol }, 'Incorrect istio-peer-exchange ALPN magic. Peer missing TCP MetadataExchange filter.');
    onPeer(peer);
  });
}
