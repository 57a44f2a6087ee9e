/** The test servers the capture e2e runs in its namespaces, as `node -e` scripts. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** Greets with `greeting`, then echoes (half-close kept). */
export const echoServer = (port: number, greeting: string): string =>
  `require('node:net').createServer({ allowHalfOpen: true }, (s) => { s.write(${JSON.stringify(greeting)}); s.pipe(s); }).listen(${port}, '0.0.0.0')`;

/** Speaks HTTP to an HTTP client (`http auto`), echoes anything else behind `auto ` — one undeclared port for both. */
export const dualServer = (port: number): string =>
  `require('node:net').createServer({ allowHalfOpen: true }, (s) => s.once('data', (d) => { const t = d.toString('latin1');` +
  ` if (/^GET /.test(t)) s.end('HTTP/1.1 200 OK\\r\\ncontent-length: 9\\r\\nconnection: close\\r\\n\\r\\nhttp auto'); else { s.write('auto ' + t); s.pipe(s); } })).listen(${port}, '0.0.0.0')`;

/**
 * A TLS server answering `tls <SNI>` per connection, outside the mesh. `openssl req` makes its throwaway
 * key and self-signed certificate in `dir` first (the clients do not verify).
 */
export function tlsServer(dir: string, commonName: string, port: number): string {
  const key = path.join(dir, 'key.pem');
  const cert = path.join(dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', `/CN=${commonName}`, '-keyout', key, '-out', cert], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl req failed: ${r.stderr}`);
  return (
    `const fs = require('node:fs'); require('node:tls').createServer({ key: fs.readFileSync(${JSON.stringify(key)}), cert: fs.readFileSync(${JSON.stringify(cert)}) },` +
    ` (s) => s.end('tls ' + s.servername)).listen(${port}, '0.0.0.0')`
  );
}
