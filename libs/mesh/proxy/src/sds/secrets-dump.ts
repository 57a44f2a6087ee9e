import { certificateDetails, firstCertificate, type CertificateDetails } from './cert-details';
import { ROOT_CA_SECRET, WORKLOAD_CERT_SECRET, type ProxySecret, type SecretProvider } from './secret-provider';

const TYPE_PREFIX = 'type.googleapis.com/';
/** What Envoy writes in place of a private key in every dump. */
export const REDACTED = '[redacted]';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const iso = (ms: number): string => new Date(ms).toISOString();

function secretMessage(secret: ProxySecret): object {
  const base = { '@type': `${TYPE_PREFIX}envoy.extensions.transport_sockets.tls.v3.Secret`, name: secret.name };
  if (secret.type === 'validation_context') return { ...base, validation_context: { trusted_ca: { inline_bytes: b64(secret.trustedCaPem) } } };
  return {
    ...base,
    tls_certificate: { certificate_chain: { inline_bytes: b64(secret.certificateChainPem) }, private_key: { inline_bytes: b64(REDACTED) } },
  };
}

/** Envoy's `envoy.admin.v3.SecretsConfigDump`: SDS secrets in force, keys redacted. */
export function secretsConfigDump(provider: SecretProvider | undefined): object {
  const active = (provider?.list() ?? []).map((s) => ({
    name: s.name,
    version_info: s.versionInfo,
    last_updated: iso(s.lastUpdatedMs),
    secret: secretMessage(s),
  }));
  return { '@type': `${TYPE_PREFIX}envoy.admin.v3.SecretsConfigDump`, ...(active.length > 0 ? { dynamic_active_secrets: active } : {}) };
}

function details(pem: string | undefined, nowMs: number): CertificateDetails[] {
  const cert = pem === undefined ? undefined : firstCertificate(pem);
  return cert === undefined ? [] : [certificateDetails(cert, nowMs)];
}

/**
 * Envoy's `/certs` (`envoy.admin.v3.Certificates`): one entry per TLS context with its trusted CA
 * (`ca_cert`) and its own certificate (`cert_chain`, the leaf). Until TLS contexts consume the
 * secrets, the workload's pair (`ROOTCA`, `default`) is the one context shown.
 */
export function certificatesDump(provider: SecretProvider | undefined, nowMs: number): { certificates: object[] } {
  const root = provider?.get(ROOT_CA_SECRET);
  const leaf = provider?.get(WORKLOAD_CERT_SECRET);
  const caCert = details(root?.type === 'validation_context' ? root.trustedCaPem : undefined, nowMs);
  const certChain = details(leaf?.type === 'tls_certificate' ? leaf.certificateChainPem : undefined, nowMs);
  if (caCert.length + certChain.length === 0) return { certificates: [] };
  return { certificates: [{ ca_cert: caCert, cert_chain: certChain }] };
}
