import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** PEM files made the way Istio's secure-ingress task makes them (openssl req / x509). */
export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  /** Issue a certificate for `cn` (a SAN too) signed by the CA; returns its PEM pair and serial. */
  issue(cn: string, serial: number): { cert: string; key: string; serial: string };
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** `openssl req -x509 … -subj '/O=example Inc./CN=example.com'` then leaf certificates signed by it. */
export function makePki(): Pki {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'trellis-pki-'));
  openssl(dir, ['req', '-x509', '-sha256', '-nodes', '-days', '365', '-newkey', 'rsa:2048', '-subj', '/O=example Inc./CN=example.com', '-keyout', 'example.com.key', '-out', 'example.com.crt']);
  return {
    dir,
    caCert: readFileSync(path.join(dir, 'example.com.crt'), 'utf8'),
    issue(cn, serial) {
      writeFileSync(path.join(dir, `${cn}.ext`), `subjectAltName=DNS:${cn}\n`);
      openssl(dir, ['req', '-out', `${cn}.csr`, '-newkey', 'rsa:2048', '-nodes', '-keyout', `${cn}.key`, '-subj', `/CN=${cn}/O=example organization`]);
      openssl(dir, ['x509', '-req', '-sha256', '-days', '365', '-CA', 'example.com.crt', '-CAkey', 'example.com.key', '-set_serial', String(serial), '-in', `${cn}.csr`, '-out', `${cn}.crt`, '-extfile', `${cn}.ext`]);
      return { cert: readFileSync(path.join(dir, `${cn}.crt`), 'utf8'), key: readFileSync(path.join(dir, `${cn}.key`), 'utf8'), serial: serial.toString(16).toUpperCase().padStart(2, '0') };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A Secret as `kubectl create -n istio-system secret generic <name> --from-file=tls.key=… --from-file=tls.crt=… [--from-file=ca.crt=…] -o yaml` writes it. */
export function tlsSecret(name: string, pair: { cert: string; key: string }, ca?: string): Record<string, unknown> {
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace: 'istio-system' },
    type: ca === undefined ? 'kubernetes.io/tls' : 'Opaque',
    data: { 'tls.crt': b64(pair.cert), 'tls.key': b64(pair.key), ...(ca !== undefined ? { 'ca.crt': b64(ca) } : {}) },
  };
}
