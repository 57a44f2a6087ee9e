import type { HttpProtocolOptions, TransportSocketMatch } from '../config/envoy-types';
import { invalid } from '../config/proto';
import type { TlsEnv } from '../tls/tls-env';
import { type UpstreamTlsConfig, compileUpstreamTls } from './tls-config';

/*
 * Cluster.transport_socket_matches (Istio's auto mTLS): per endpoint, the first entry whose `match`
 * is a subset of the endpoint's `metadata.filter_metadata["envoy.transport_socket_match"]` picks the
 * transport socket (`tlsMode-istio` {tlsMode: istio} → ISTIO_MUTUAL TLS, `tlsMode-disabled` {} →
 * plaintext); none matching = the cluster's own transport_socket. Decided once per endpoint.
 */

/** Where EDS puts an endpoint's labels for socket matching. */
export const TRANSPORT_SOCKET_MATCH_KEY = 'envoy.transport_socket_match';

export type SocketMetadata = Readonly<Record<string, unknown>>;

export interface CompiledSocketMatch {
  readonly name: string;
  readonly match: SocketMetadata;
  /** undefined = plaintext (raw_buffer). */
  readonly tls: UpstreamTlsConfig | undefined;
}

export function compileSocketMatches(
  resource: string,
  matches: readonly TransportSocketMatch[] | undefined,
  options: HttpProtocolOptions | undefined,
  env: TlsEnv,
): CompiledSocketMatch[] {
  return (matches ?? []).map((m, i) => {
    const name = typeof m.name === 'string' && m.name !== '' ? m.name : String(i);
    const match = m.match ?? {};
    if (typeof match !== 'object' || Array.isArray(match)) throw invalid(resource, `transport_socket_matches[${name}].match must be a struct`);
    return { name, match: match as SocketMetadata, tls: compileUpstreamTls(`${resource} transport_socket_matches[${name}]`, m.transport_socket, options, env) };
  });
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  return typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && JSON.stringify(a) === JSON.stringify(b);
}

function isSubset(match: SocketMetadata, meta: SocketMetadata): boolean {
  for (const key in match) if (!sameValue(match[key], meta[key])) return false;
  return true;
}

/** The transport for an endpoint with this metadata (first matching entry, else the cluster's socket). */
export function selectTransport(
  matches: readonly CompiledSocketMatch[],
  fallback: UpstreamTlsConfig | undefined,
  meta: SocketMetadata | undefined,
): UpstreamTlsConfig | undefined {
  const m = matches.find((x) => isSubset(x.match, meta ?? {}));
  return m === undefined ? fallback : m.tls;
}
