/**
 * `trellis x exec <pod> -c istio-proxy -- pilot-agent request GET stats`: in local mode the sidecar
 * is a process, not a container, so the one command Istio's tasks run in it — pilot-agent's
 * `request <method> <path> [body]` to the Envoy admin API — is answered here, against the sidecar's
 * admin port on the pod address (pilot-agent: `localhost:15000`; its `--debug-port` among 15000,
 * 15020, 15021, 15004). It prints the body as pilot-agent does; a status above 399 (but 404) fails.
 */
import http from 'node:http';
import { TrellisError } from '@trellis/shared';
import type { LocalPodRecord } from '@trellis/mesh-local';

export const EXEC_SIDECAR_COMMAND = 'EXEC_SIDECAR_COMMAND';

const ALLOWED_PORTS = [15000, 15004, 15020, 15021];

export interface SidecarRequest {
  readonly method: string;
  readonly path: string;
  readonly body: string;
  readonly port: number;
}

/** `pilot-agent request [--debug-port N] <method> <path> [<body>]`; anything else is refused by name. */
export function parsePilotAgent(argv: readonly string[]): SidecarRequest {
  const [program, sub, ...rest] = argv;
  if (program?.replace(/^.*\//, '') !== 'pilot-agent' || sub !== 'request') {
    throw new TrellisError(EXEC_SIDECAR_COMMAND, `local mode's istio-proxy is the sidecar process: only "pilot-agent request <method> <path> [<body>]" runs in it (got "${argv.join(' ')}")`, { command: [...argv] });
  }
  let port = 15000;
  const args: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] ?? '';
    const m = /^--debug-port(?:=(.*))?$/.exec(a);
    if (m === null) args.push(a);
    else port = Number(m[1] ?? rest[++i]);
  }
  if (!ALLOWED_PORTS.includes(port)) throw new TrellisError(EXEC_SIDECAR_COMMAND, `debug port ${port} is not in allowed list [${ALLOWED_PORTS.join(' ')}]`, { port });
  const [method, path, body = ''] = args;
  if (method === undefined || path === undefined || args.length > 3) throw new TrellisError(EXEC_SIDECAR_COMMAND, 'Error: requires at least 2 arg(s): pilot-agent request <method> <path> [<body>]', { args });
  return { method: method.toUpperCase(), path: path.replace(/^\//, ''), body, port };
}

/** Runs the request against the pod's sidecar; resolves with the exit code (1 on a failed request, as pilot-agent). */
export function runInSidecar(pod: LocalPodRecord, argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<number> {
  const r = parsePilotAgent(argv);
  return new Promise((resolve) => {
    const req = http.request({ host: pod.ip, port: r.port, path: `/${r.path}`, method: r.method, timeout: 60_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString();
        const status = res.statusCode ?? 0;
        if (status > 399 && status !== 404) {
          io.stderr.write(`Error: received unsuccessful status code ${status}: ${body}\n`);
          resolve(1);
        } else {
          io.stdout.write(`${body}\n`);
          resolve(0);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => {
      io.stderr.write(`Error: ${r.method} http://localhost:${r.port}/${r.path} (sidecar ${pod.ip}): ${err.message}\n`);
      resolve(1);
    });
    req.end(r.body);
  });
}
