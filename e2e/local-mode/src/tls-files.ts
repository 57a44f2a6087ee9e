import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

// The secure-ingress task's certificates, made with openssl exactly as Istio's docs make them, and
// Debian's curl run as the docs run it.

const openssl = (dir: string, args: string[]): void => {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
};

/** A root (`<name>.crt/.key`, `/O=<name> Inc./CN=<name>`), as `openssl req -x509 …` in the task. */
export function makeRoot(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-sha256', '-nodes', '-days', '365', '-newkey', 'rsa:2048', '-subj', `/O=${name} Inc./CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.crt`]);
}

/** A leaf `<cn>.crt/.key` signed by root `<ca>` (CSR, then `openssl x509 -req -CA …`). */
export function makeLeaf(dir: string, cn: string, ca: string, serial: number): void {
  openssl(dir, ['req', '-out', `${cn}.csr`, '-newkey', 'rsa:2048', '-nodes', '-keyout', `${cn}.key`, '-subj', `/CN=${cn}/O=${cn.split('.')[0] ?? cn} organization`]);
  openssl(dir, ['x509', '-req', '-sha256', '-days', '365', '-CA', `${ca}.crt`, '-CAkey', `${ca}.key`, '-set_serial', String(serial), '-in', `${cn}.csr`, '-out', `${cn}.crt`]);
}

/**
 * The Secret as `kubectl create -n istio-system secret tls|generic <name> … --dry-run=client -o yaml`
 * writes it: `kubernetes.io/tls` with tls.crt/tls.key, or Opaque with ca.crt too (MUTUAL).
 */
export function secretYaml(dir: string, name: string, cn: string, ca?: string): string {
  const b64 = (file: string): string => readFileSync(path.join(dir, file)).toString('base64');
  const data = [`  tls.crt: ${b64(`${cn}.crt`)}`, `  tls.key: ${b64(`${cn}.key`)}`];
  if (ca !== undefined) data.unshift(`  ca.crt: ${b64(`${ca}.crt`)}`);
  const type = ca === undefined ? 'kubernetes.io/tls' : 'Opaque';
  return ['apiVersion: v1', 'data:', ...data, 'kind: Secret', 'metadata:', `  name: ${name}`, '  namespace: istio-system', `type: ${type}`, ''].join('\n');
}

export interface CurlResult {
  readonly exit: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Debian's curl, in `cwd` (so `--cacert example.com.crt` reads as in the docs), 20 s at most. */
export function curl(cwd: string, args: readonly string[]): Promise<CurlResult> {
  return new Promise((resolve) => {
    const child = spawn('curl', ['--max-time', '20', ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('exit', (exit) => resolve({ exit, stdout, stderr }));
  });
}
