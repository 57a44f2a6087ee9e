// Identities
export { DEFAULT_TRUST_DOMAIN, identityUri, parseSpiffeId, spiffeId, SPIFFE_PREFIX, type WorkloadIdentity } from './identity/spiffe';
export { CaErrorCode, caError } from './errors';

// PKI (keys, CSRs, certificates)
export { createCsr, parseCsr, type ParsedCsr } from './pki/csr';
export { EC_P256, generateKeyPair, privateKeyFromPem, RSA_2048, type KeyAlgorithm, type KeyPair } from './pki/signature';
export { pemBlocks, splitCertificates, toPem } from './pki/pem';

// The signing core
export {
  CA_FILE_NAMES,
  CA_SECRET_TYPE,
  PLUGGED_IN_CA_SECRET,
  ROOT_CERT_CONFIGMAP,
  SELF_SIGNED_CA_SECRET,
  type CaFiles,
  type CaSource,
} from './ca/ca-files';
export { CertificateAuthority, CLOCK_SKEW_GRACE_MS, type ServerCertificate, type SignRequest } from './ca/certificate-authority';
export { systemClock, type Clock } from './ca/clock';
export { loadKeyCertBundle, type KeyCertBundle } from './ca/key-cert-bundle';
export { generateSelfSignedRoot, SELF_SIGNED_ROOT_TTL_MS, type RootOptions } from './ca/self-signed';
export { DEFAULT_WORKLOAD_TTL_SECONDS, ISTIO_TTL_POLICY, MAX_WORKLOAD_TTL_SECONDS, type TtlPolicy } from './ca/ttl';

// Persistence
export { openCertificateAuthority, type CaMaterialStore, type OpenCaOptions } from './store/ca-store';
export { fileCaStore, type FileCaStoreOptions } from './store/file-ca-store';

// Caller authentication
export { authenticateCaller, bearerToken, type AuthRequest, type Authenticator, type Caller } from './auth/authenticator';
export { issueLocalToken, localTokenAuthenticator, LOCAL_TOKEN_PREFIX } from './auth/local-token';
export { loadOrCreateLocalTokenKey, LOCAL_TOKEN_KEY_FILE } from './auth/local-token-key';

// gRPC service (istio.v1.auth.IstioCertificateService)
export { CA_SERVICE, CREATE_CERTIFICATE_PATH, caServiceDefinition, type IstioCertificateRequest, type IstioCertificateResponse } from './server/ca-proto';
export { createCaServer, istiodDnsNames, type CaServer, type CaServerOptions } from './server/ca-server';
export { toGrpcError } from './server/grpc-status';
export { createCaClient, type CaClient, type CaClientOptions, type CertificateRequest } from './client/ca-client';
