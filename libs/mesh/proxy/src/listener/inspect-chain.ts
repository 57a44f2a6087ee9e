import type { Socket } from 'node:net';
import type { FilterCounters } from '../http/counters';
import { type ConnectionFacts, needsInspection, selectChain } from './chain-match';
import type { ChainConfig, Inspectors } from './listener-config';
import { filterChainProtocols, type SniffResult } from './sniff';
import { sniffFirstBytes } from './sniff-socket';

/*
 * The listener-filter step of a connection: when the chains still in the running (after port and
 * IP) name SNI or protocols and the listener has the inspectors, read the first bytes without
 * consuming them (sniff-socket.ts), then pick the chain as Envoy would. Counters use Envoy's names:
 * `tls_inspector.{tls_found,tls_not_found,sni_found,sni_not_found,alpn_found,client_hello_too_large}`,
 * `http_inspector.{http10_found,http11_found,http2_found,http_not_found}`.
 */

export interface InspectedChain {
  /** undefined: no chain matches (Envoy closes the connection: no_filter_chain_match). */
  readonly chain: ChainConfig | undefined;
  /** The peer went away before anything was decided; nothing to serve. */
  readonly closed: boolean;
}

/** What the listener's inspectors would set, from what the bytes are. */
export function inspectedFacts(result: SniffResult, inspectors: Pick<Inspectors, 'tls' | 'http'>): ConnectionFacts {
  const p = filterChainProtocols(result);
  const tls = inspectors.tls && p.transportProtocol === 'tls';
  if (tls) return { transportProtocol: 'tls', applicationProtocols: p.applicationProtocols, ...(p.serverName !== undefined && { serverName: p.serverName }) };
  const http = inspectors.http && (result.kind === 'http1' || result.kind === 'h2c');
  return { transportProtocol: 'raw_buffer', applicationProtocols: http ? p.applicationProtocols : [] };
}

function count(counters: FilterCounters, result: SniffResult, inspectors: Pick<Inspectors, 'tls' | 'http'>): void {
  const c = (name: string): void => {
    counters.counter(name).value++;
  };
  if (inspectors.tls) {
    if (result.kind !== 'tls' || result.incomplete === 'malformed') c('tls_inspector.tls_not_found');
    else if (result.incomplete === 'too-large') c('tls_inspector.client_hello_too_large');
    else {
      c('tls_inspector.tls_found');
      c(result.sni === undefined ? 'tls_inspector.sni_not_found' : 'tls_inspector.sni_found');
      c(result.alpn.length === 0 ? 'tls_inspector.alpn_not_found' : 'tls_inspector.alpn_found');
    }
  }
  if (inspectors.http && result.kind !== 'tls') {
    const found = result.kind === 'h2c' ? 'http2_found' : result.kind === 'http1' ? (result.protocol === 'http/1.1' ? 'http11_found' : 'http10_found') : 'http_not_found';
    c(`http_inspector.${found}`);
  }
}

/** Whether `chains` need the first bytes to choose for this destination, on a listener with these inspectors. */
export function mustInspect(chains: readonly ChainConfig[], facts: ConnectionFacts, inspectors: Inspectors): boolean {
  return (inspectors.tls || inspectors.http) && needsInspection(chains, facts);
}

/** Where inspection happens: the listener (for its counters) and its inspectors. */
export interface InspectionSite {
  readonly listener: string;
  readonly inspectors: Inspectors;
  readonly counters: FilterCounters;
}

/**
 * Sniffs (bounded by the listener's listener_filters_timeout), then selects; never rejects. As
 * Envoy: a ClientHello over 64 KiB closes the connection (`client_hello_too_large`), and so does the
 * timeout (`listener.<name>.downstream_pre_cx_timeout`) unless continue_on_listener_filters_timeout.
 */
export async function inspectAndSelect(socket: Socket, chains: readonly ChainConfig[], base: ConnectionFacts, site: InspectionSite): Promise<InspectedChain> {
  const { inspectors, counters } = site;
  const sniffed = await sniffFirstBytes(socket, { timeoutMs: inspectors.timeoutMs });
  if (sniffed.reason === 'closed') return { chain: undefined, closed: true };
  if (sniffed.reason === 'timeout') {
    counters.counter(`listener.${site.listener}.downstream_pre_cx_timeout`).value++;
    if (!inspectors.continueOnTimeout) return { chain: undefined, closed: true };
  }
  count(counters, sniffed.result, inspectors);
  if (inspectors.tls && sniffed.result.kind === 'tls' && sniffed.result.incomplete === 'too-large') return { chain: undefined, closed: true };
  return { chain: selectChain(chains, { ...base, ...inspectedFacts(sniffed.result, inspectors) }), closed: false };
}
