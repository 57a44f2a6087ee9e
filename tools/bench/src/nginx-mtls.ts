import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ownChild } from './proc';

/** RSA 2048 leaf (Istio's default key) signed by a throw-away root, with clientAuth and serverAuth. */
function pki(dir: string): { root: string; cert: string; key: string } {
  const f = (n: string): string => path.join(dir, n);
  const ssl = (...args: string[]): void => {
    const r = spawnSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`openssl ${args[0]}: ${r.stderr.toString()}`);
  };
  writeFileSync(f('leaf.ext'), 'subjectAltName=DNS:bench.mtls,URI:spiffe://cluster.local/ns/default/sa/default\nextendedKeyUsage=serverAuth,clientAuth\nkeyUsage=digitalSignature,keyEncipherment\n');
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/O=bench', '-keyout', f('root.key'), '-out', f('root.pem'));
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/O=bench', '-keyout', f('leaf.key'), '-out', f('leaf.csr'));
  ssl('x509', '-req', '-in', f('leaf.csr'), '-CA', f('root.pem'), '-CAkey', f('root.key'), '-set_serial', '1', '-days', '2', '-extfile', f('leaf.ext'), '-out', f('leaf.pem'));
  return { root: f('root.pem'), cert: f('leaf.pem'), key: f('leaf.key') };
}

/**
 * nginx doing a sidecar pair's TLS work in one worker: `:port` plaintext in → mutual TLS out
 * (`proxy_ssl_certificate`, upstream verified, kept connections, session reuse) → `:tlsPort` TLS
 * termination that requires and verifies the client certificate → the plain upstream (kept connections).
 * Two hops, like client sidecar → server sidecar.
 */
export async function startNginxMtls(host: string, port: number, tlsPort: number, upstreamPort: number, dir: string): Promise<{ process: ChildProcess; pids: () => number[] }> {
  const p = pki(dir);
  const conf = path.join(dir, 'nginx-mtls.conf');
  const pid = path.join(dir, 'nginx-mtls.pid');
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${pid};
error_log ${dir}/nginx-mtls-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}; proxy_temp_path ${dir}; fastcgi_temp_path ${dir}; uwsgi_temp_path ${dir}; scgi_temp_path ${dir};
  upstream app { server 127.0.0.1:${upstreamPort}; keepalive 32; }
  upstream peer { server ${host}:${tlsPort}; keepalive 32; keepalive_requests 100000; }
  server {
    listen ${host}:${port};
    location / {
      proxy_pass https://peer; proxy_http_version 1.1; proxy_set_header Connection "";
      proxy_ssl_certificate ${p.cert}; proxy_ssl_certificate_key ${p.key};
      proxy_ssl_trusted_certificate ${p.root}; proxy_ssl_verify on; proxy_ssl_name bench.mtls; proxy_ssl_server_name on;
      proxy_ssl_session_reuse on; proxy_ssl_protocols TLSv1.2 TLSv1.3;
    }
  }
  server {
    listen ${host}:${tlsPort} ssl;
    ssl_certificate ${p.cert}; ssl_certificate_key ${p.key};
    ssl_client_certificate ${p.root}; ssl_verify_client on; ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 100000;
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`,
  );
  const child = ownChild(spawn('taskset', ['-c', '0', '/usr/sbin/nginx', '-c', conf, '-g', 'daemon off;'], { stdio: 'inherit' }), 'SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  const pids = (): number[] => {
    const master = Number(readFileSync(pid, 'utf8').trim());
    const workers = spawnSync('pgrep', ['-P', String(master)]).stdout.toString().trim().split('\n').filter(Boolean).map(Number);
    return [master, ...workers];
  };
  return { process: child, pids };
}
