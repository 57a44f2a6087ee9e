/** Real certificates for TLS tests: a CA and a server certificate made with the openssl CLI, and a TLS server. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { type Server, type TLSSocket, createServer } from 'node:tls';

export interface TestPki {
  readonly dir: string;
  /** CA certificate files: the one that signed the server, and an unrelated one. */
  readonly caFile: string;
  readonly otherCaFile: string;
  readonly serverCert: Buffer;
  readonly serverKey: Buffer;
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

function ca(dir: string, name: string): void {
  openssl(dir, ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '2',
    '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`]);
}

function leaf(dir: string, name: string, caName: string, sans: string): void {
  openssl(dir, ['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', `/CN=${name}`, '-keyout', `${name}.key`, '-out', `${name}.csr`]);
  writeFileSync(path.join(dir, `${name}.ext`), `subjectAltName=${sans}\n`);
  openssl(dir, ['x509', '-req', '-in', `${name}.csr`, '-CA', `${caName}.pem`, '-CAkey', `${caName}.key`, '-CAcreateserial',
    '-days', '2', '-extfile', `${name}.ext`, '-out', `${name}.pem`]);
}

/** A CA, a server certificate for `sans` (openssl syntax: `DNS:a,DNS:b`), a client certificate, another CA. */
export function makePki(sans: string): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-tls-'));
  ca(dir, 'ca');
  ca(dir, 'other-ca');
  leaf(dir, 'server', 'ca', sans);
  leaf(dir, 'client', 'ca', 'URI:spiffe://cluster.local/ns/default/sa/client');
  const read = (f: string): Buffer => readFileSync(path.join(dir, f));
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    otherCaFile: path.join(dir, 'other-ca.pem'),
    serverCert: read('server.pem'),
    serverKey: read('server.key'),
    clientCertFile: path.join(dir, 'client.pem'),
    clientKeyFile: path.join(dir, 'client.key'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface SeenHello {
  readonly sni: string | false | null;
  readonly alpn: string | false | null;
  readonly clientCert: boolean;
}

export interface TlsTestServer {
  readonly port: number;
  readonly seen: SeenHello[];
  close(): Promise<void>;
}

/** A TLS server on 127.0.0.1:0 handing each verified connection to `onSecure`; records SNI/ALPN seen. */
export async function startTlsServer(pki: TestPki, onSecure: (s: TLSSocket) => void, opts: { requestCert?: boolean; alpn?: string[] } = {}): Promise<TlsTestServer> {
  const seen: SeenHello[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer(
    { cert: pki.serverCert, key: pki.serverKey, requestCert: opts.requestCert ?? false, rejectUnauthorized: false, ca: readFileSync(pki.caFile), ...(opts.alpn ? { ALPNProtocols: opts.alpn } : {}), allowHalfOpen: true },
    (s) => {
      seen.push({ sni: s.servername, alpn: s.alpnProtocol, clientCert: s.authorized });
      onSecure(s);
    },
  );
  server.on('tlsClientError', () => undefined);
  // Every TCP connection, also those whose handshake the client abandoned (a failed verification).
  server.on('connection', (raw: Socket) => {
    sockets.add(raw);
    raw.on('close', () => sockets.delete(raw));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** An HTTP/1.1 responder on a TLS socket: answers every request head with 200 and the SNI it saw. */
export function answerHttp(s: TLSSocket): void {
  let buf = '';
  s.on('data', (d: Buffer) => {
    buf += d.toString('latin1');
    let end: number;
    while ((end = buf.indexOf('\r\n\r\n')) >= 0) {
      const head = buf.slice(0, end);
      buf = buf.slice(end + 4);
      const host = /\r\nhost: *([^\r]*)/i.exec(head)?.[1] ?? '';
      const body = JSON.stringify({ sni: s.servername, host, line: head.split('\r\n')[0] });
      s.write(`HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
  });
  s.on('error', () => undefined);
  s.on('end', () => s.end());
}
