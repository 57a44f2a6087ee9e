import type { ObjectMeta } from './meta';

/**
 * A Kubernetes core/v1 Secret as `kubectl create secret tls|generic … -o yaml` writes it: `data`
 * values are base64; `stringData` plain text (merged over `data` by the apiserver, and here).
 * Only gateway credentials are read from it (Istio's `credentialName`).
 */
export interface KubeSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: ObjectMeta;
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
  immutable?: boolean;
}

/**
 * The TLS material of one Secret, decoded (PEM text), as istiod's credentials controller extracts
 * it: `tls.crt`/`tls.key`/`ca.crt` (kubernetes.io/tls) or `cert`/`key`/`cacert` (generic).
 * Key material: never logged, never printed.
 */
export interface TlsCredential {
  readonly namespace: string;
  readonly name: string;
  /** The Secret's resourceVersion (changes on every update). */
  readonly version: string;
  /** Certificate chain and key; absent for a CA-only Secret (`<name>-cacert`). */
  readonly certChain?: string;
  readonly privateKey?: string;
  /** The CA bundle clients are verified against (MUTUAL), when the Secret has one. */
  readonly caCert?: string;
}
