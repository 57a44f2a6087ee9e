import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { issueLocalToken, loadOrCreateLocalTokenKey, LOCAL_TOKEN_KEY_FILE } from '@trellis/mesh-ca';

/**
 * Workload identities for the bench's proxies, as the local runner gives them: the control plane's CA
 * (`<state>/ca/ca-cert.pem`, its local token key), one token per proxy for its ServiceAccount. The
 * proxies' agents then get their certificates over `IstioCertificateService` and serve them to the data
 * path through the SecretStore (SDS `default` / `ROOTCA`), so sidecar → sidecar is ISTIO_MUTUAL.
 */
export async function identityArgs(stateDir: string, caAddress: string, pod: string, namespace: string, serviceAccount: string): Promise<string[]> {
  const key = await loadOrCreateLocalTokenKey(path.join(stateDir, LOCAL_TOKEN_KEY_FILE));
  const tokenFile = path.join(stateDir, 'pods', pod, 'istio-token');
  mkdirSync(path.dirname(tokenFile), { recursive: true, mode: 0o700 });
  writeFileSync(tokenFile, issueLocalToken(key, namespace, serviceAccount), { mode: 0o600 });
  return ['--ca-address', caAddress, '--ca-root-cert', path.join(stateDir, 'ca', 'ca-cert.pem'), '--token-file', tokenFile];
}
