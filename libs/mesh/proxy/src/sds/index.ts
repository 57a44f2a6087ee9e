export { ROOT_CA_SECRET, WORKLOAD_CERT_SECRET, type ProxySecret, type SecretProvider, type TlsCertificateSecret, type ValidationContextSecret } from './secret-provider';
export { SecretStore, type SecretInput } from './secret-store';
export { certificatesDump, REDACTED, secretsConfigDump } from './secrets-dump';
export { certificateDetails, type CertificateDetails } from './cert-details';
export { pemCertificates } from './pem';
export { compileAdsSecrets } from './ads-secrets';
export { layeredSecretProvider } from './layered-provider';
