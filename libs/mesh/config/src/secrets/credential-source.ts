import type { TlsCredential } from '@trellis/mesh-api';

/**
 * Where gateway credentials come from: the local secret store (`trellis apply -f secret.yaml`) or,
 * in Kubernetes mode, a Secret informer. The snapshot builder reads it like the config store.
 */
export interface CredentialSource {
  /** Every Secret that carries TLS material, decoded. */
  credentials(): readonly TlsCredential[];
  /** Called after each change; returns an unsubscribe function. */
  onChange(listener: () => void): () => void;
}
