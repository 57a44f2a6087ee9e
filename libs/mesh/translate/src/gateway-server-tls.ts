import { caResourceName, credentialResourceName, type GatewayServer } from '@trellis/mesh-api';
import {
  DOWNSTREAM_TLS_CONTEXT_TYPE,
  TLS_TRANSPORT_SOCKET_NAME,
  type CommonTlsContext,
  type DownstreamTlsContext,
  type SdsConfigSource,
  type SdsSecretConfig,
  type TransportSocket,
} from '@trellis/mesh-envoy';
import { INBOUND_CIPHER_SUITES, INBOUND_HTTP_ALPN } from './inbound-tls';
import { SDS_DEFAULT_SECRET, SDS_ROOT_SECRET } from './sds';

/** Gateway credentials come over the ADS stream itself (istiod's SecretGen). */
export const ADS_SDS_CONFIG: SdsConfigSource = { ads: {}, resource_api_version: 'V3' };

/** Server TLS modes whose connections the gateway terminates. */
export const TERMINATING_MODES: ReadonlySet<string> = new Set(['SIMPLE', 'MUTUAL', 'OPTIONAL_MUTUAL', 'ISTIO_MUTUAL']);

function ads(name: string): SdsSecretConfig {
  return { name, sds_config: ADS_SDS_CONFIG };
}

function sans(server: GatewayServer): { match_subject_alt_names?: { exact: string }[] } {
  const names = server.tls?.subjectAltNames ?? [];
  return names.length > 0 ? { match_subject_alt_names: names.map((exact) => ({ exact })) } : {};
}

/** Certificates and client validation per mode (istiod's buildGatewayListenerTLSContext). */
function certificates(server: GatewayServer): Pick<CommonTlsContext, 'tls_certificate_sds_secret_configs' | 'tls_certificates' | 'combined_validation_context' | 'validation_context'> {
  const tls = server.tls ?? {};
  const mutual = tls.mode === 'MUTUAL' || tls.mode === 'OPTIONAL_MUTUAL';
  if (tls.mode === 'ISTIO_MUTUAL') {
    return { tls_certificate_sds_secret_configs: [SDS_DEFAULT_SECRET], combined_validation_context: { default_validation_context: sans(server), validation_context_sds_secret_config: SDS_ROOT_SECRET } };
  }
  if (tls.credentialName) {
    const validation = mutual ? { combined_validation_context: { default_validation_context: sans(server), validation_context_sds_secret_config: ads(caResourceName(tls.credentialName)) } } : {};
    return { tls_certificate_sds_secret_configs: [ads(credentialResourceName(tls.credentialName))], ...validation };
  }
  // Files mounted into the gateway pod (Istio's pre-SDS serverCertificate/privateKey/caCertificates).
  const files = { tls_certificates: [{ certificate_chain: { filename: tls.serverCertificate ?? '' }, private_key: { filename: tls.privateKey ?? '' } }] };
  return mutual && tls.caCertificates ? { ...files, validation_context: { trusted_ca: { filename: tls.caCertificates }, ...sans(server) } } : files;
}

/** The DownstreamTlsContext of a terminating HTTPS server: ALPN h2/http1.1, client certificate per mode. */
export function gatewayServerTlsContext(server: GatewayServer): DownstreamTlsContext {
  const mode = server.tls?.mode ?? 'SIMPLE';
  return {
    '@type': DOWNSTREAM_TLS_CONTEXT_TYPE,
    common_tls_context: {
      tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3', cipher_suites: [...INBOUND_CIPHER_SUITES] },
      alpn_protocols: [...INBOUND_HTTP_ALPN],
      ...certificates(server),
    },
    require_client_certificate: { value: mode === 'MUTUAL' || mode === 'ISTIO_MUTUAL' },
  };
}

export function gatewayServerTransportSocket(server: GatewayServer): TransportSocket {
  return { name: TLS_TRANSPORT_SOCKET_NAME, typed_config: gatewayServerTlsContext(server) };
}
