import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { issueLocalToken, loadOrCreateLocalTokenKey, LOCAL_TOKEN_KEY_FILE } from '@trellis/mesh-ca';

/** A proxy's way to the CA, as a pod has it: CA address, the root that verifies it, its token file. */
export interface ProxyCredentials {
  readonly caAddress: string;
  readonly rootCertFile: string;
  readonly tokenFile: string;
}

/** Who a proxy is: its pod (for the file's place) and its ServiceAccount (for the token's identity). */
export interface ProxyIdentity {
  readonly pod: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

/** Istio's gateway ServiceAccount (`istio-ingressgateway-service-account`). */
export const GATEWAY_SERVICE_ACCOUNT = 'istio-ingressgateway-service-account';

/**
 * The root a local proxy trusts for the CA, in the control plane's order: plugged-in
 * `<state>/cacerts/root-cert.pem`, else the self-signed `<state>/ca/ca-cert.pem` (what the
 * `istio-ca-root-cert` ConfigMap holds in a cluster).
 */
export function localRootCertFile(stateDir: string): string {
  const pluggedIn = path.join(stateDir, 'cacerts', 'root-cert.pem');
  return existsSync(pluggedIn) ? pluggedIn : path.join(stateDir, 'ca', 'ca-cert.pem');
}

export const tokenFileOf = (stateDir: string, pod: string): string => path.join(stateDir, 'pods', pod, 'istio-token');

/**
 * What the kubelet does with a projected `istio-token`, for local mode: reads the control plane's
 * `<state>/workload-token.key` (created on its first start, so call this once it is ready) and
 * writes each proxy `issueLocalToken(key, ns, sa)` at `<state>/pods/<pod>/istio-token` (0600).
 */
export async function writeProxyCredentials(stateDir: string, caAddress: string, proxies: readonly ProxyIdentity[]): Promise<Map<string, ProxyCredentials>> {
  const key = await loadOrCreateLocalTokenKey(path.join(stateDir, LOCAL_TOKEN_KEY_FILE));
  const rootCertFile = localRootCertFile(stateDir);
  const out = new Map<string, ProxyCredentials>();
  for (const p of proxies) {
    const tokenFile = tokenFileOf(stateDir, p.pod);
    mkdirSync(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
    writeFileSync(tokenFile, issueLocalToken(key, p.namespace, p.serviceAccount), { mode: 0o600 });
    out.set(p.pod, { caAddress, rootCertFile, tokenFile });
  }
  return out;
}
