import type { ClientTLSSettings } from '@trellis/mesh-api';
import {
  RAW_BUFFER_TRANSPORT_SOCKET_NAME,
  RAW_BUFFER_TYPE,
  TLS_TRANSPORT_SOCKET_NAME,
  UPSTREAM_TLS_CONTEXT_TYPE,
  type TransportSocket,
  type TransportSocketMatch,
} from '@trellis/mesh-envoy';
import { SDS_DEFAULT_SECRET, SDS_ROOT_SECRET } from './sds';

/**
 * The client side of Istio mTLS (`pilot/pkg/networking/core/cluster_tls.go`, ISTIO_MUTUAL, and
 * `cluster_builder.go` buildAutoMtlsSettings): the proxy presents SDS `default`, verifies the peer
 * against `ROOTCA` and the service's SPIFFE identities, sends the DNS-safe cluster key as SNI and offers
 * Istio's ALPN so the server's `istio*` chains match.
 */

/** What the translator knows about Istio mTLS towards one cluster (present when mTLS emission is on). */
export interface IstioMtlsTarget {
  /** `outbound_.<port>_.<subset>_.<host>` (BuildDNSSrvSubsetKey). */
  readonly sni: string;
  /** SPIFFE IDs of the service's workloads (+ ServiceEntry subjectAltNames), sorted. */
  readonly serviceAccounts: readonly string[];
  /** Auto mTLS may apply (in-mesh service, not passthrough, its namespace not DISABLE). */
  readonly auto: boolean;
}

/** ALPN an Istio client offers (util.ALPNInMeshWithMxc / ALPNInMeshH2WithMxc). */
export const ISTIO_CLIENT_ALPN: readonly string[] = ['istio-peer-exchange', 'istio'];
export const ISTIO_CLIENT_ALPN_H2: readonly string[] = ['istio-peer-exchange', 'istio', 'h2'];

/** Istio's mTLS SNI: `outbound_.9080_.v1_.reviews.default.svc.cluster.local` (`_._` without a subset). */
export function istioSni(port: number, host: string, subset?: string): string {
  return `outbound_.${port}_.${subset ?? ''}_.${host}`;
}

export function spiffeId(trustDomain: string, namespace: string, serviceAccount: string): string {
  return `spiffe://${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
}

/** The ISTIO_MUTUAL transport socket: DR `sni`/`subjectAltNames` win over the computed ones. */
export function istioMutualSocket(target: IstioMtlsTarget, tls: ClientTLSSettings | undefined, http2: boolean): TransportSocket {
  const sans = tls?.subjectAltNames?.length ? tls.subjectAltNames : target.serviceAccounts;
  return {
    name: TLS_TRANSPORT_SOCKET_NAME,
    typed_config: {
      '@type': UPSTREAM_TLS_CONTEXT_TYPE,
      common_tls_context: {
        tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' },
        alpn_protocols: [...(http2 ? ISTIO_CLIENT_ALPN_H2 : ISTIO_CLIENT_ALPN)],
        tls_certificate_sds_secret_configs: [SDS_DEFAULT_SECRET],
        combined_validation_context: {
          default_validation_context: sans.length > 0 ? { match_subject_alt_names: sans.map((exact) => ({ exact })) } : {},
          validation_context_sds_secret_config: SDS_ROOT_SECRET,
        },
      },
      sni: tls?.sni || target.sni,
    },
  };
}

export const RAW_BUFFER_SOCKET: TransportSocket = { name: RAW_BUFFER_TRANSPORT_SOCKET_NAME, typed_config: { '@type': RAW_BUFFER_TYPE } };

/** Endpoint metadata `envoy.transport_socket_match` of a sidecar-injected endpoint. */
export const ISTIO_TLS_MODE_MATCH: Readonly<Record<string, string>> = { tlsMode: 'istio' };

/** Auto mTLS: mTLS to endpoints labelled `tlsMode: istio`, plaintext to every other. */
export function autoMtlsMatches(tlsSocket: TransportSocket): TransportSocketMatch[] {
  return [
    { name: 'tlsMode-istio', match: { ...ISTIO_TLS_MODE_MATCH }, transport_socket: tlsSocket },
    { name: 'tlsMode-disabled', match: {}, transport_socket: RAW_BUFFER_SOCKET },
  ];
}
