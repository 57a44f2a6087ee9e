import { BlockList, isIP } from 'node:net';

/*
 * Envoy's filter_chain_match, as its docs order the criteria: destination port → destination IP
 * (prefix_ranges) → server name (SNI) → transport protocol → application protocols. At each step
 * the chains that match most specifically win; a chain that leaves the criterion empty is a
 * wildcard, kept only when no chain names a matching value; nothing left = no_filter_chain_match.
 * Pure: the facts come from SO_ORIGINAL_DST (port, IP) and the inspectors (sniff.ts).
 */

/** One prefix_ranges entry compiled: a one-subnet BlockList answers "inside?" for v4 and v6. */
export interface CompiledPrefix {
  readonly length: number;
  readonly family: 'ipv4' | 'ipv6';
  readonly list: BlockList;
}

export interface ChainMatch {
  readonly destinationPort?: number;
  readonly prefixRanges?: readonly CompiledPrefix[];
  /** Lower-cased; `*.example.com` wildcards allowed. */
  readonly serverNames?: readonly string[];
  readonly transportProtocol?: string;
  readonly applicationProtocols?: readonly string[];
}

/** What is known about a connection. Inspector facts are undefined until sniffed. */
export interface ConnectionFacts {
  readonly destinationPort?: number;
  readonly destinationIp?: string;
  readonly serverName?: string;
  readonly transportProtocol?: string;
  readonly applicationProtocols?: readonly string[];
}

export interface Matchable {
  readonly match: ChainMatch;
}

/** A prefix_ranges entry; throws a plain Error naming what is wrong (the caller names the resource). */
export function compilePrefix(address: string, length: number): CompiledPrefix {
  const v = isIP(address);
  const max = v === 6 ? 128 : 32;
  if (v === 0) throw new Error(`prefix_ranges address_prefix ${JSON.stringify(address)} is not an IP address`);
  if (!Number.isInteger(length) || length < 0 || length > max) throw new Error(`prefix_ranges prefix_len ${length} is out of range for ${address}`);
  const family = v === 6 ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  list.addSubnet(address, length, family);
  return { length, family, list };
}

/** -1: no range contains `ip`; else the longest containing prefix. */
function prefixScore(ranges: readonly CompiledPrefix[], ip: string): number {
  const v = isIP(ip);
  let best = -1;
  for (const r of ranges) {
    const inside = v === 4 ? r.list.check(ip, 'ipv4') : v === 6 && r.list.check(ip, 'ipv6');
    if (inside && r.length > best) best = r.length;
  }
  return best;
}

/** Envoy's server_names: exact beats the longest wildcard suffix; -1 = no match. */
function serverNameScore(names: readonly string[], sni: string | undefined): number {
  if (sni === undefined) return -1;
  const name = sni.toLowerCase();
  let best = -1;
  for (const n of names) {
    if (n === name) return Number.MAX_SAFE_INTEGER;
    if (n.startsWith('*.') && name.length > n.length - 1 && name.endsWith(n.slice(1)) && n.length > best) best = n.length;
  }
  return best;
}

type Scorer = (m: ChainMatch, f: ConnectionFacts) => number | undefined;

/** Per criterion: undefined = the chain does not name it (wildcard); -1 = names it and misses. */
const CRITERIA: readonly Scorer[] = [
  (m, f) => (m.destinationPort === undefined ? undefined : m.destinationPort === f.destinationPort ? 0 : -1),
  (m, f) => (m.prefixRanges === undefined ? undefined : f.destinationIp === undefined ? -1 : prefixScore(m.prefixRanges, f.destinationIp)),
  (m, f) => (m.serverNames === undefined ? undefined : serverNameScore(m.serverNames, f.serverName)),
  (m, f) => (m.transportProtocol === undefined ? undefined : m.transportProtocol === (f.transportProtocol ?? 'raw_buffer') ? 0 : -1),
  (m, f) => (m.applicationProtocols === undefined ? undefined : m.applicationProtocols.some((p) => f.applicationProtocols?.includes(p) === true) ? 0 : -1),
];

/** The port and IP steps need no bytes; the rest need the inspectors. */
const ADDRESS_CRITERIA = 2;

function narrow<T extends Matchable>(chains: readonly T[], facts: ConnectionFacts, score: Scorer): T[] {
  let best = -1;
  let specific: T[] = [];
  const wildcard: T[] = [];
  for (const c of chains) {
    const s = score(c.match, facts);
    if (s === undefined) wildcard.push(c);
    else if (s > best) {
      best = s;
      specific = [c];
    } else if (s === best && s >= 0) specific.push(c);
  }
  return specific.length > 0 ? specific : wildcard;
}

function narrowBy<T extends Matchable>(chains: readonly T[], facts: ConnectionFacts, criteria: readonly Scorer[]): T[] {
  let left = [...chains];
  for (const score of criteria) {
    left = narrow(left, facts, score);
    if (left.length === 0) break;
  }
  return left;
}

/** The chain Envoy would pick (the first of equals), or undefined: no_filter_chain_match. */
export function selectChain<T extends Matchable>(chains: readonly T[], facts: ConnectionFacts): T | undefined {
  return narrowBy(chains, facts, CRITERIA)[0];
}

/**
 * Whether choosing among these chains for this destination needs the connection's first bytes:
 * some chain still in the running names SNI, a transport or an application protocol.
 */
export function needsInspection(chains: readonly Matchable[], facts: ConnectionFacts): boolean {
  return narrowBy(chains, facts, CRITERIA.slice(0, ADDRESS_CRITERIA)).some(
    (c) => c.match.serverNames !== undefined || c.match.transportProtocol !== undefined || c.match.applicationProtocols !== undefined,
  );
}
