import type { ResolvedMeshConfig } from './mesh-config';
import type { Volume } from './types';

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly readOnly: boolean;
}

/**
 * What the sidecar's agent needs to get its certificate, as Istio's injection template mounts it:
 * the projected ServiceAccount token `istio-token` (audience istio-ca, 12 h) at /var/run/secrets/tokens,
 * and the root that verifies istiod, ConfigMap `istio-ca-root-cert`, at /var/run/secrets/istio.
 * With `jwtPolicy: first-party-jwt` (clusters that cannot project tokens, e.g. a Kubernetes 1.20
 * apiserver without --service-account-issuer) there is no projected volume and the agent reads the
 * pod's legacy ServiceAccount token instead.
 */
export const ISTIO_TOKEN_VOLUME = 'istio-token';
export const ISTIO_TOKEN_DIR = '/var/run/secrets/tokens';
export const ROOT_CERT_VOLUME = 'istiod-ca-cert';
export const ROOT_CERT_DIR = '/var/run/secrets/istio';
export const ROOT_CERT_CONFIGMAP = 'istio-ca-root-cert';
export const CA_TOKEN_AUDIENCE = 'istio-ca';
export const TOKEN_EXPIRATION_SECONDS = 43200;

export function identityVolumes(config: ResolvedMeshConfig): Volume[] {
  const root: Volume = { name: ROOT_CERT_VOLUME, configMap: { name: ROOT_CERT_CONFIGMAP } };
  if (config.jwtPolicy === 'first-party-jwt') return [root];
  const token: Volume = {
    name: ISTIO_TOKEN_VOLUME,
    projected: { sources: [{ serviceAccountToken: { audience: CA_TOKEN_AUDIENCE, expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: ISTIO_TOKEN_VOLUME } }] },
  };
  return [token, root];
}

export function identityMounts(config: ResolvedMeshConfig): VolumeMount[] {
  return identityVolumes(config).map((v) => ({ name: v.name, mountPath: v.name === ROOT_CERT_VOLUME ? ROOT_CERT_DIR : ISTIO_TOKEN_DIR, readOnly: true }));
}
