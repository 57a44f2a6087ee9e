import type { Logger } from '@trellis/shared';
import type { CaFiles } from '../ca/ca-files';
import { CA_FILE_NAMES } from '../ca/ca-files';
import { CertificateAuthority } from '../ca/certificate-authority';
import type { Clock } from '../ca/clock';
import { loadKeyCertBundle } from '../ca/key-cert-bundle';
import { generateSelfSignedRoot } from '../ca/self-signed';
import type { TtlPolicy } from '../ca/ttl';
import { CaErrorCode, caError } from '../errors';
import type { KeyAlgorithm } from '../pki/signature';

/**
 * Where CA material lives: a directory in local mode (file-ca-store.ts), Secrets in Kubernetes
 * (`cacerts` and `istio-ca-secret`, libs/mesh/kube). The CA itself never does I/O.
 */
export interface CaMaterialStore {
  /** For logs: `/state/ca`, `Secret istio-system/istio-ca-secret`… */
  readonly location: string;
  /** Plugged-in material (Istio's `cacerts`), when the operator provided it. */
  loadPluggedIn(): Promise<CaFiles | undefined>;
  /** The self-signed CA persisted by an earlier start. */
  loadSelfSigned(): Promise<CaFiles | undefined>;
  /** Persist a new self-signed CA; resolves with what is stored (another writer may have won the race). */
  saveSelfSigned(files: CaFiles): Promise<CaFiles>;
}

export interface OpenCaOptions {
  readonly store: CaMaterialStore;
  readonly trustDomain: string;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Key of a newly generated root (default RSA 2048). */
  readonly rootKeyAlgorithm?: KeyAlgorithm;
  readonly ttl?: TtlPolicy;
}

/**
 * istiod's start-up order (`pilot/pkg/bootstrap/istio_ca.go`): plugged-in `cacerts` when present,
 * else the persisted self-signed CA, else a new self-signed root, persisted before it is used.
 */
export async function openCertificateAuthority(options: OpenCaOptions): Promise<CertificateAuthority> {
  const { store, logger, clock } = options;
  const plugged = await store.loadPluggedIn();
  if (plugged !== undefined) {
    if (!plugged.rootCert?.trim()) throw caError(CaErrorCode.materialInvalid, 'plugged-in CA material has no root certificate', { file: CA_FILE_NAMES.rootCert, location: store.location });
    const bundle = loadKeyCertBundle(plugged, 'plugged-in', clock());
    logger.info({ location: store.location, subject: bundle.signingCert.x509.subject, notAfter: bundle.signingCert.x509.validTo }, 'CA uses plugged-in certificates');
    return new CertificateAuthority(bundle, clock, options.ttl);
  }
  let files = await store.loadSelfSigned();
  if (files === undefined) {
    files = await store.saveSelfSigned(generateSelfSignedRoot({ trustDomain: options.trustDomain, now: clock(), keyAlgorithm: options.rootKeyAlgorithm }));
    logger.info({ location: store.location }, 'CA generated a self-signed root');
  }
  const bundle = loadKeyCertBundle(files, 'self-signed', clock());
  logger.info({ location: store.location, subject: bundle.signingCert.x509.subject, notAfter: bundle.signingCert.x509.validTo, fingerprint: bundle.signingCert.x509.fingerprint256 }, 'CA uses self-signed root');
  return new CertificateAuthority(bundle, clock, options.ttl);
}
