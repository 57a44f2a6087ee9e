/**
 * `envoy.extensions.transport_sockets.tls.v3` and `envoy.config.core.v3.TransportSocket`: the TLS a
 * cluster speaks upstream (UpstreamTlsContext). Istio's DestinationRule `tls` (SIMPLE / MUTUAL, and
 * ISTIO_MUTUAL with SDS secrets, issue #16) is written in these messages.
 */
import type { Any, BoolValue, DataSource, StringMatcher } from './core';
import type { DOWNSTREAM_TLS_CONTEXT_TYPE, RAW_BUFFER_TYPE, UPSTREAM_TLS_CONTEXT_TYPE } from './type-urls';

export type TlsProtocolVersion = 'TLS_AUTO' | 'TLSv1_0' | 'TLSv1_1' | 'TLSv1_2' | 'TLSv1_3';

/** TlsParameters (Istio sets TLSv1_2..TLSv1_3 on every upstream context). */
export type TlsParameters = {
  tls_minimum_protocol_version?: TlsProtocolVersion;
  tls_maximum_protocol_version?: TlsProtocolVersion;
  cipher_suites?: string[];
  ecdh_curves?: string[];
};

/** TlsCertificate: a certificate chain and its private key (files, for DestinationRule MUTUAL). */
export type TlsCertificate = { certificate_chain?: DataSource; private_key?: DataSource };

/**
 * ConfigSource for SDS as istiod writes it: the agent's `sds-grpc` cluster (a UDS in Istio; the Trellis
 * proxy's agent answers in-process, libs/mesh/proxy/src/sds), or ADS.
 */
export type SdsConfigSource = {
  ads?: Record<string, never>;
  api_config_source?: {
    api_type?: 'GRPC';
    transport_api_version?: 'V3';
    set_node_on_first_message_only?: boolean;
    grpc_services?: { envoy_grpc?: { cluster_name?: string } }[];
  };
  initial_fetch_timeout?: { seconds?: number; nanos?: number };
  resource_api_version?: 'V3';
};

/** SdsSecretConfig: a secret by name from SDS (Istio's `default` workload certificate, `ROOTCA` trust bundle). */
export type SdsSecretConfig = { name?: string; sds_config?: SdsConfigSource };

/**
 * CertificateValidationContext. Without `trusted_ca` nothing is verified (Istio's `insecureSkipVerify`
 * is an empty one); `match_subject_alt_names` accepts a peer whose certificate has any SAN matching any entry.
 */
export type CertificateValidationContext = {
  trusted_ca?: DataSource;
  match_subject_alt_names?: StringMatcher[];
  crl?: DataSource;
};

/** CommonTlsContext.CombinedCertificateValidationContext (a default context plus an SDS one). */
export type CombinedCertificateValidationContext = {
  default_validation_context?: CertificateValidationContext;
  validation_context_sds_secret_config?: SdsSecretConfig;
};

export type CommonTlsContext = {
  tls_params?: TlsParameters;
  tls_certificates?: TlsCertificate[];
  tls_certificate_sds_secret_configs?: SdsSecretConfig[];
  validation_context?: CertificateValidationContext;
  combined_validation_context?: CombinedCertificateValidationContext;
  alpn_protocols?: string[];
};

/** UpstreamTlsContext: the typed_config of an upstream `envoy.transport_sockets.tls` socket. */
export type UpstreamTlsContext = {
  '@type': typeof UPSTREAM_TLS_CONTEXT_TYPE;
  common_tls_context?: CommonTlsContext;
  /** SNI sent in the ClientHello; empty = none (or the request's host with `auto_sni`). */
  sni?: string;
};

/**
 * DownstreamTlsContext: the typed_config of a listener filter chain's `envoy.transport_sockets.tls`
 * socket (Istio's inbound mTLS: require_client_certificate, SDS `default` + `ROOTCA`; secure gateways).
 */
export type DownstreamTlsContext = {
  '@type': typeof DOWNSTREAM_TLS_CONTEXT_TYPE;
  common_tls_context?: CommonTlsContext;
  require_client_certificate?: BoolValue;
};

/** envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer (no fields): plaintext. */
export type RawBuffer = { '@type': typeof RAW_BUFFER_TYPE };

/** envoy.config.core.v3.TransportSocket: `envoy.transport_sockets.tls` (Upstream/DownstreamTlsContext) or raw_buffer. */
export type TransportSocket = { name?: string; typed_config?: UpstreamTlsContext | DownstreamTlsContext | RawBuffer | Any };

/** Cluster.TransportSocketMatch (auto mTLS picks a socket by endpoint metadata; issue #16). */
export type TransportSocketMatch = { name?: string; match?: Record<string, unknown>; transport_socket?: TransportSocket };

/**
 * `envoy.extensions.transport_sockets.tls.v3.Secret`: an SDS resource. istiod sends gateways their
 * credentials as inline bytes: `kubernetes://<name>` a `tls_certificate`, `kubernetes://<name>-cacert`
 * a `validation_context` with `trusted_ca`.
 */
export type Secret = {
  name?: string;
  tls_certificate?: TlsCertificate;
  validation_context?: CertificateValidationContext;
};
