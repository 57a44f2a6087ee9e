import type { ClientTLSSettings } from '@trellis/mesh-api';
import {
  TLS_TRANSPORT_SOCKET_NAME,
  UPSTREAM_TLS_CONTEXT_TYPE,
  type CertificateValidationContext,
  type CommonTlsContext,
  type TransportSocket,
  type TransportSocketMatch,
  type UpstreamHttpProtocolOptions,
  type UpstreamTlsContext,
} from '@trellis/mesh-envoy';
import { autoMtlsMatches, istioMutualSocket, type IstioMtlsTarget } from './upstream-mtls';

/**
 * DestinationRule `tls` → the cluster's upstream TLS, as istiod's `cluster_tls.go` builds it
 * (`buildUpstreamClusterTLSContext` / `constructUpstreamTLS`):
 * - DISABLE or unset: plaintext (no transport socket);
 * - SIMPLE / MUTUAL: `envoy.transport_sockets.tls` with an UpstreamTlsContext: TLSv1_2..TLSv1_3,
 *   `sni` from the DR; without one, `auto_sni` (the request's host) and, unless SANs or
 *   insecureSkipVerify are given, `auto_san_validation`; ALPN `h2` for HTTP/2 clusters only;
 * - ISTIO_MUTUAL: SDS `default`/`ROOTCA`, Istio's SNI, SANs and ALPN (upstream-mtls.ts) — when the
 *   translator emits mTLS (`istio` given); without a DR `tls`, auto mTLS: `transport_socket_matches`.
 *
 * Certificates are files on the proxy, referenced by `filename` (Envoy reads them). Istio ≥ 1.8 serves
 * the same files through its agent's SDS (`file-root:<path>`, `file-cert:<cert>~<key>`); without SDS
 * (issue #16) the file DataSource is Envoy's direct equivalent.
 */

/** What `caCertificates` unset means: the system's roots (Istio's `system`), Debian's bundle path. */
export const SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The result for one cluster: its transport socket and the HTTP protocol options it implies. */
export interface UpstreamTls {
  readonly transportSocket?: TransportSocket;
  readonly transportSocketMatches?: TransportSocketMatch[];
  readonly upstreamHttpOptions?: UpstreamHttpProtocolOptions;
}

export interface UpstreamTlsInput {
  readonly tls: ClientTLSSettings | undefined;
  /** The cluster speaks HTTP/2 upstream (ALPN `h2`). */
  readonly http2: boolean;
  /** ServiceEntry `subjectAltNames`: the SANs when the DestinationRule gives none (Istio, External registry). */
  readonly serviceSans?: readonly string[];
  /** Istio mTLS towards this cluster; absent when the translator's mTLS emission is off. */
  readonly istio?: IstioMtlsTarget;
}

/** Istio's credentialName lookups that need an SDS server (everything but `configmap://`). */
function needsCredentialSds(tls: ClientTLSSettings): boolean {
  return tls.credentialName !== undefined && tls.credentialName !== '' && !tls.credentialName.startsWith('configmap://');
}

function validationContext(tls: ClientTLSSettings, sans: readonly string[]): CertificateValidationContext {
  if (tls.insecureSkipVerify === true) return {};
  const ctx: CertificateValidationContext = { trusted_ca: { filename: tls.caCertificates || SYSTEM_CA_BUNDLE } };
  if (sans.length > 0) ctx.match_subject_alt_names = sans.map((exact) => ({ exact }));
  if (tls.caCrl) ctx.crl = { filename: tls.caCrl };
  return ctx;
}

/** Istio's setAutoSniAndAutoSanValidation. */
function autoOptions(tls: ClientTLSSettings): UpstreamHttpProtocolOptions | undefined {
  if (tls.sni) return undefined;
  const sanValidation = (tls.subjectAltNames ?? []).length === 0 && tls.insecureSkipVerify !== true;
  return sanValidation ? { auto_sni: true, auto_san_validation: true } : { auto_sni: true };
}

function commonContext(tls: ClientTLSSettings, input: UpstreamTlsInput): CommonTlsContext {
  const sans = tls.subjectAltNames?.length ? tls.subjectAltNames : (input.serviceSans ?? []);
  const common: CommonTlsContext = {
    tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' },
  };
  if (tls.mode === 'MUTUAL') {
    common.tls_certificates = [{ certificate_chain: { filename: tls.clientCertificate }, private_key: { filename: tls.privateKey } }];
  }
  common.validation_context = validationContext(tls, sans);
  if (input.http2) common.alpn_protocols = ['h2'];
  return common;
}

/** The cluster's TLS for its effective DestinationRule `tls` (port-level and subset merged). */
export function upstreamTls(input: UpstreamTlsInput): UpstreamTls {
  const tls = input.tls;
  if (tls === undefined && input.istio?.auto === true) {
    return { transportSocketMatches: autoMtlsMatches(istioMutualSocket(input.istio, undefined, input.http2)) };
  }
  if (tls === undefined || tls.mode === undefined || tls.mode === 'DISABLE') return {};
  // ISTIO_MUTUAL without mTLS emission (translate option off): no socket, no claim of mTLS it cannot do.
  if (tls.mode === 'ISTIO_MUTUAL') return input.istio ? { transportSocket: istioMutualSocket(input.istio, tls, input.http2) } : {};
  // credentialName needs SDS (issue #16). Istio's sidecars ignore it too (no transport socket) unless
  // the DestinationRule has a workloadSelector; gateways would fetch it over SDS, which Trellis lacks.
  if (needsCredentialSds(tls)) return {};
  // Istio logs and skips a MUTUAL setting without a key pair (validation rejects it first).
  if (tls.mode === 'MUTUAL' && (!tls.clientCertificate || !tls.privateKey)) return {};
  const context: UpstreamTlsContext = { '@type': UPSTREAM_TLS_CONTEXT_TYPE, common_tls_context: commonContext(tls, input) };
  if (tls.sni) context.sni = tls.sni;
  const auto = autoOptions(tls);
  return {
    transportSocket: { name: TLS_TRANSPORT_SOCKET_NAME, typed_config: context },
    ...(auto ? { upstreamHttpOptions: auto } : {}),
  };
}
