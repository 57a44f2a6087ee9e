import {
  DOWNSTREAM_TLS_CONTEXT_TYPE,
  TLS_TRANSPORT_SOCKET_NAME,
  type DownstreamTlsContext,
  type TransportSocket,
} from '@trellis/mesh-envoy';
import { SDS_DEFAULT_SECRET, SDS_ROOT_SECRET } from './sds';

/**
 * The server side of Istio mTLS (`pilot/pkg/security/authn/utils/utils.go` BuildInboundTLS +
 * `security/model` ApplyToCommonTLSContext): a client certificate is required and verified against
 * `ROOTCA` (any SPIFFE identity of the mesh: no SAN match), the proxy presents `default`.
 */

/** Istio's server-side cipher list (SupportedCiphers), TLS 1.2 minimum, 1.3 maximum. */
export const INBOUND_CIPHER_SUITES: readonly string[] = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
  'AES128-GCM-SHA256',
];

/** ALPN the server offers on HTTP chains (util.ALPNHttp): never `istio`, which would break h2 negotiation. */
export const INBOUND_HTTP_ALPN: readonly string[] = ['h2', 'http/1.1'];
/** ALPN on TCP chains with metadata exchange (util.ALPNDownstreamWithMxc). */
export const INBOUND_TCP_ALPN: readonly string[] = ['istio-peer-exchange', 'h2', 'http/1.1'];

export type ChainProtocol = 'http' | 'tcp';

export function downstreamTlsContext(protocol: ChainProtocol): DownstreamTlsContext {
  return {
    '@type': DOWNSTREAM_TLS_CONTEXT_TYPE,
    common_tls_context: {
      tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3', cipher_suites: [...INBOUND_CIPHER_SUITES] },
      alpn_protocols: [...(protocol === 'http' ? INBOUND_HTTP_ALPN : INBOUND_TCP_ALPN)],
      tls_certificate_sds_secret_configs: [SDS_DEFAULT_SECRET],
      combined_validation_context: { default_validation_context: {}, validation_context_sds_secret_config: SDS_ROOT_SECRET },
    },
    require_client_certificate: { value: true },
  };
}

const HTTP_SOCKET: TransportSocket = { name: TLS_TRANSPORT_SOCKET_NAME, typed_config: downstreamTlsContext('http') };
const TCP_SOCKET: TransportSocket = { name: TLS_TRANSPORT_SOCKET_NAME, typed_config: downstreamTlsContext('tcp') };

/** The chain's `transport_socket` (shared objects: the ADS server caches encodings by identity). */
export function inboundTlsSocket(protocol: ChainProtocol): TransportSocket {
  return protocol === 'http' ? HTTP_SOCKET : TCP_SOCKET;
}
