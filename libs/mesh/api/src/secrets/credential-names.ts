/**
 * SDS resource names of gateway credentials (istiod's `pilot/pkg/model/credentials`):
 * `kubernetes://<name>` is the key pair, `kubernetes://<name>-cacert` the CA bundle for MUTUAL.
 */
export const KUBERNETES_SECRET_PREFIX = 'kubernetes://';
export const CA_SUFFIX = '-cacert';

export function credentialResourceName(credentialName: string): string {
  return `${KUBERNETES_SECRET_PREFIX}${credentialName}`;
}

export function caResourceName(credentialName: string): string {
  return `${KUBERNETES_SECRET_PREFIX}${credentialName}${CA_SUFFIX}`;
}

/**
 * `kubernetes://[<namespace>/]<name>[-cacert]` → the Secret it names, in `proxyNamespace` unless given.
 * Anything else (`default`, `ROOTCA`, `file-root:…`) → undefined.
 */
export function parseCredentialResource(resource: string, proxyNamespace: string): { namespace: string; name: string; ca: boolean } | undefined {
  if (!resource.startsWith(KUBERNETES_SECRET_PREFIX)) return undefined;
  const rest = resource.slice(KUBERNETES_SECRET_PREFIX.length);
  const slash = rest.indexOf('/');
  const namespace = slash >= 0 ? rest.slice(0, slash) : proxyNamespace;
  const full = slash >= 0 ? rest.slice(slash + 1) : rest;
  const ca = full.endsWith(CA_SUFFIX);
  const name = ca ? full.slice(0, -CA_SUFFIX.length) : full;
  return name === '' ? undefined : { namespace, name, ca };
}
