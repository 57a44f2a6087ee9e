/** Istio's file and Secret key names for CA material (`security/pkg/pki/ca/ca.go`). */
export const CA_FILE_NAMES = {
  caCert: 'ca-cert.pem',
  caKey: 'ca-key.pem',
  certChain: 'cert-chain.pem',
  rootCert: 'root-cert.pem',
} as const;

/** Secret holding a self-signed CA's key and certificate (created by istiod on first start). */
export const SELF_SIGNED_CA_SECRET = 'istio-ca-secret';
/** Secret (and mounted directory) with plugged-in CA material. */
export const PLUGGED_IN_CA_SECRET = 'cacerts';
/** ConfigMap published in every namespace with the root, key `root-cert.pem`. */
export const ROOT_CERT_CONFIGMAP = 'istio-ca-root-cert';
/** Istio's type for `istio-ca-secret`. */
export const CA_SECRET_TYPE = 'istio.io/ca-root';

/**
 * CA material as PEM text, by Istio's names. A self-signed CA has only `caCert` and `caKey` (the
 * root is the signing certificate); a plugged-in one (`cacerts`) has all four.
 */
export interface CaFiles {
  readonly caCert: string;
  readonly caKey: string;
  readonly certChain?: string;
  readonly rootCert?: string;
}

/** Where a CA's material came from; logs and errors name it. */
export type CaSource = 'plugged-in' | 'self-signed';
