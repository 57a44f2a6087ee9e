import { chmodSync, chownSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_CAPTURE_OPTIONS } from '@trellis/mesh-inject';
import { LOCAL_TOKEN_KEY_FILE, issueLocalToken, loadOrCreateLocalTokenKey } from '@trellis/mesh-ca';

/**
 * What the kubelet mounts in a pod for the agent: the projected token (here the local-mode token the
 * control plane's key signs for `<ns>/bookinfo-<app>`) and the CA root, readable by the proxy's uid 1337.
 * Files: `<stateDir>/identities/root-cert.pem` and `<app>.token`. Call once the control plane is ready.
 */
export async function writeIdentities(stateDir: string, namespace: string, apps: readonly string[]): Promise<void> {
  const uid = DEFAULT_CAPTURE_OPTIONS.proxyUid;
  const key = await loadOrCreateLocalTokenKey(path.join(stateDir, LOCAL_TOKEN_KEY_FILE));
  const dir = path.join(stateDir, 'identities');
  mkdirSync(dir, { recursive: true });
  chmodSync(stateDir, 0o755);
  chmodSync(dir, 0o755);
  copyFileSync(path.join(stateDir, 'ca', 'ca-cert.pem'), path.join(dir, 'root-cert.pem'));
  chmodSync(path.join(dir, 'root-cert.pem'), 0o644);
  for (const app of apps) {
    const file = path.join(dir, `${app}.token`);
    writeFileSync(file, issueLocalToken(key, namespace, `bookinfo-${app}`), { mode: 0o600 });
    chownSync(file, uid, uid);
  }
}
