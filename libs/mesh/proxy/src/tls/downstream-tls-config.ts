import { RAW_BUFFER_TRANSPORT_SOCKET_NAME, TLS_TRANSPORT_SOCKET_NAME, DOWNSTREAM_TLS_CONTEXT_TYPE } from '@trellis/mesh-envoy';
import type { DownstreamTlsContext, TransportSocket } from '../config/envoy-types';
import { invalid } from '../config/proto';
import type { Counter, FilterCounters } from '../http/counters';
import type { StringTest } from '../routing/string-matcher';
import { SecureContextSource } from './secure-context-source';
import { compileTlsContext } from './tls-context-spec';
import type { TlsEnv } from './tls-env';

/** `listener.<name>.ssl.*` and `listener.<name>.server_ssl_socket_factory.*` (Envoy's names). */
export interface ListenerSslStats {
  readonly handshake: Counter;
  readonly connection_error: Counter;
  readonly fail_verify_error: Counter;
  readonly fail_verify_san: Counter;
  readonly fail_verify_no_cert: Counter;
  readonly no_certificate: Counter;
  readonly secretsNotReady: Counter;
  readonly contextUpdates: Counter;
}

/** A filter chain's DownstreamTlsContext compiled: the chain terminates TLS on the connections it gets. */
export interface DownstreamTlsConfig {
  readonly contexts: SecureContextSource;
  readonly requireClientCertificate: boolean;
  /** A trusted CA (file or SDS ROOTCA): a presented client certificate is verified against it. */
  readonly verifyChain: boolean;
  readonly sanMatchers: readonly StringTest[];
  /** Server ALPN preference (Istio: h2, http/1.1, with istio-peer-exchange first on TCP/MX chains). */
  readonly alpn: readonly string[];
  readonly stats: ListenerSslStats;
}

function statsFor(counters: FilterCounters, listener: string): ListenerSslStats {
  const c = (stat: string): Counter => counters.counter(`listener.${listener}.${stat}`);
  return {
    handshake: c('ssl.handshake'),
    connection_error: c('ssl.connection_error'),
    fail_verify_error: c('ssl.fail_verify_error'),
    fail_verify_san: c('ssl.fail_verify_san'),
    fail_verify_no_cert: c('ssl.fail_verify_no_cert'),
    no_certificate: c('ssl.no_certificate'),
    secretsNotReady: c('server_ssl_socket_factory.downstream_context_secrets_not_ready'),
    contextUpdates: c('server_ssl_socket_factory.ssl_context_update_by_sds'),
  };
}

/** FilterChain.transport_socket → its TLS termination; undefined for none or raw_buffer. */
export function compileDownstreamTls(resource: string, listener: string, ts: TransportSocket | undefined, counters: FilterCounters, env: TlsEnv = {}): DownstreamTlsConfig | undefined {
  if (ts === undefined || ts.name === RAW_BUFFER_TRANSPORT_SOCKET_NAME) return undefined;
  const ctx = ts.typed_config as DownstreamTlsContext | undefined;
  if (ctx?.['@type'] !== DOWNSTREAM_TLS_CONTEXT_TYPE) {
    if (ts.name !== TLS_TRANSPORT_SOCKET_NAME) throw invalid(resource, `unsupported transport_socket ${String(ts.name)}`);
    throw invalid(resource, `transport_socket ${String(ts.name)}: typed_config must be ${DOWNSTREAM_TLS_CONTEXT_TYPE}`);
  }
  const requireClientCertificate = ctx.require_client_certificate?.value === true;
  const spec = compileTlsContext(resource, ctx.common_tls_context, requireClientCertificate);
  if (spec.certificate === undefined) throw invalid(resource, 'DownstreamTlsContext needs a certificate (tls_certificates or tls_certificate_sds_secret_configs)');
  if (requireClientCertificate && spec.trustedCa === undefined) throw invalid(resource, 'require_client_certificate needs a validation context with a trusted CA');
  const stats = statsFor(counters, listener);
  const contexts = new SecureContextSource(spec, env.secrets, env.logger);
  contexts.events = { onUpdate: () => void stats.contextUpdates.value++ };
  return { contexts, requireClientCertificate, verifyChain: spec.trustedCa !== undefined, sanMatchers: spec.sanMatchers, alpn: spec.alpn, stats };
}
