import { RAW_BUFFER_TRANSPORT_SOCKET_NAME, TLS_TRANSPORT_SOCKET_NAME } from '@trellis/mesh-envoy';
import type { HttpProtocolOptions, TransportSocket, UpstreamTlsContext } from '../config/envoy-types';
import { KNOWN_TYPES, invalid } from '../config/proto';
import type { StringTest } from '../routing/string-matcher';
import { SecureContextSource } from '../tls/secure-context-source';
import { compileTlsContext } from '../tls/tls-context-spec';
import type { TlsEnv } from '../tls/tls-env';

/**
 * A cluster's `transport_socket` compiled: `envoy.transport_sockets.tls` with an UpstreamTlsContext
 * becomes a SecureContextSource (files read and built at apply time, so a CA or key that cannot be
 * read NACKs the cluster naming it and the file; SDS `default`/`ROOTCA` resolved per connection, with
 * warming and rotation) plus what each connection needs (SNI, ALPN, how to verify the peer).
 */
export interface UpstreamTlsConfig {
  readonly contexts: SecureContextSource;
  /** UpstreamTlsContext.sni; empty = none, unless `autoSni` takes the request's host. */
  readonly sni: string;
  /** HttpProtocolOptions auto_sni: SNI = the request's host (HTTP only; one pool per SNI). */
  readonly autoSni: boolean;
  /** auto_san_validation: the certificate must be valid for the SNI the request used. */
  readonly autoSanValidation: boolean;
  readonly alpn: readonly string[];
  /** A trusted CA was given (file or SDS): the chain is verified (Envoy verifies nothing without one). */
  readonly verifyChain: boolean;
  /** match_subject_alt_names: any SAN of the peer must match one of them. */
  readonly sanMatchers: readonly StringTest[];
  /** Identity of the compiled settings and file contents: pools are kept while it is unchanged. */
  readonly key: string;
}

/** Cluster.transport_socket (or a transport_socket_matches entry) → its TLS config; undefined for none or raw_buffer. */
export function compileUpstreamTls(resource: string, ts: TransportSocket | undefined, options: HttpProtocolOptions | undefined, env: TlsEnv = {}): UpstreamTlsConfig | undefined {
  if (ts === undefined || ts.name === RAW_BUFFER_TRANSPORT_SOCKET_NAME) return undefined;
  const ctx = ts.typed_config as UpstreamTlsContext | undefined;
  if (ts.name !== TLS_TRANSPORT_SOCKET_NAME && ctx?.['@type'] !== KNOWN_TYPES.upstreamTlsContext) {
    throw invalid(resource, `unsupported transport_socket ${String(ts.name)}`);
  }
  if (ctx === undefined || ctx['@type'] !== KNOWN_TYPES.upstreamTlsContext) {
    throw invalid(resource, `transport_socket ${String(ts.name)}: typed_config must be ${KNOWN_TYPES.upstreamTlsContext}`);
  }
  const auto = options?.upstream_http_protocol_options;
  const spec = compileTlsContext(resource, ctx.common_tls_context, [ctx.sni ?? '', auto ?? null]);
  const verifyChain = spec.trustedCa !== undefined;
  return {
    contexts: new SecureContextSource(spec, env.secrets, env.logger),
    sni: ctx.sni ?? '',
    autoSni: auto?.auto_sni === true,
    autoSanValidation: auto?.auto_san_validation === true && verifyChain,
    alpn: spec.alpn,
    verifyChain,
    sanMatchers: spec.sanMatchers,
    key: spec.key,
  };
}
