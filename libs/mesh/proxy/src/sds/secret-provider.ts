/**
 * The proxy's secret store contract, as Envoy resolves SDS secrets by name. Istio's agent serves two
 * names to Envoy over a UDS (`./var/run/secrets/workload-spiffe-uds/socket`): `default`, the workload's
 * certificate chain and key, and `ROOTCA`, the root it trusts. Here the agent runs in-process and hands
 * the data plane a provider; TLS contexts look secrets up by the name their `sds_config` gives.
 */

/** Istio's resource names (`security.WorkloadKeyCertResourceName`, `security.RootCertReqResourceName`). */
export const WORKLOAD_CERT_SECRET = 'default';
export const ROOT_CA_SECRET = 'ROOTCA';

interface SecretMeta {
  readonly name: string;
  /** Envoy's `version_info` of the SDS response that delivered it. */
  readonly versionInfo: string;
  /** When it was installed (ms since the epoch). */
  readonly lastUpdatedMs: number;
}

/** `envoy.extensions.transport_sockets.tls.v3.Secret.tls_certificate`: chain (leaf first) and key. */
export interface TlsCertificateSecret extends SecretMeta {
  readonly type: 'tls_certificate';
  readonly certificateChainPem: string;
  readonly privateKeyPem: string;
}

/** `Secret.validation_context`: the trusted CA bundle. */
export interface ValidationContextSecret extends SecretMeta {
  readonly type: 'validation_context';
  readonly trustedCaPem: string;
}

export type ProxySecret = TlsCertificateSecret | ValidationContextSecret;

export interface SecretProvider {
  /** The secret in force under `name`, or undefined while none has arrived (Envoy: warming). */
  get(name: string): ProxySecret | undefined;
  /** Every secret in force, in installation order (for `/config_dump` and `/certs`). */
  list(): readonly ProxySecret[];
  /** Called with the name after each change (a new or rotated secret); returns an unsubscribe function. */
  onChange(listener: (name: string) => void): () => void;
}
