import http from 'node:http';
import { TrellisError, type Closable } from '@trellis/shared';
import { type FlagSpec, parseFlags } from './flags';
import { FORTIO_VERSION } from './load-report';

export const SERVER_FLAGS: Readonly<Record<string, FlagSpec>> = {
  'http-port': { kind: 'string', usage: 'http echo server port; can be in the form of host:port, ip:port or port (default 8080)' },
  'grpc-port': { kind: 'string', usage: '"disabled" here: this fortio serves no gRPC ping (default 8079 upstream)' },
  loglevel: { kind: 'string', usage: 'log level (accepted)' },
};

/** `[host:]port` → where to listen (fortio's -http-port forms). */
export function listenAddress(raw: string): { host: string | undefined; port: number } {
  const colon = raw.lastIndexOf(':');
  const host = colon < 0 ? undefined : raw.slice(0, colon).replace(/^\[|\]$/g, '') || undefined;
  const port = Number(colon < 0 ? raw : raw.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TrellisError('FLAG_VALUE', `invalid value "${raw}" for flag -http-port`, { flag: 'http-port' });
  return { host, port };
}

function debugText(req: http.IncomingMessage, body: Buffer): string {
  const head = Object.entries(req.headers).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`);
  return [`Φορτίο version ${FORTIO_VERSION} echo debug server up for ${Math.round(process.uptime())}s on ${req.headers.host ?? ''}`, '', `Request from ${req.socket.remoteAddress ?? ''}`, '', `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`, '', 'headers:', '', ...head, '', `body:`, '', body.toString()].join('\n');
}

/** The echo handler: `/debug` describes the request; anything else answers 200 (or `?status=N`) with the request body. */
function handle(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): void {
  const url = new URL(req.url ?? '/', 'http://x');
  if (url.pathname.endsWith('/debug')) {
    res.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' }).end(debugText(req, body));
    return;
  }
  const status = Number(url.searchParams.get('status') ?? '200');
  res.writeHead(Number.isInteger(status) && status >= 200 && status < 600 ? status : 200, { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' }).end(body);
}

/** `fortio server`: the HTTP echo server the fortio-deploy pod runs (the gRPC ping server is not provided). */
export async function server(argv: readonly string[], err: NodeJS.WritableStream): Promise<Closable & { port: number }> {
  const f = parseFlags(argv, SERVER_FLAGS);
  if (f.args.length > 0) throw new TrellisError('USAGE', `unexpected arguments: ${f.args.join(' ')}`, { args: [...f.args] });
  const grpc = f.values.get('grpc-port');
  if (grpc !== undefined && grpc !== 'disabled') err.write(`fortio: -grpc-port ${grpc} ignored: this fortio serves HTTP echo only\n`);
  const { host, port } = listenAddress(f.values.get('http-port') ?? '8080');
  const srv = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve, reject) => srv.once('error', reject).listen(port, host, resolve));
  const addr = srv.address();
  const bound = typeof addr === 'object' && addr !== null ? addr.port : port;
  err.write(`Fortio ${FORTIO_VERSION} echo server listening on ${host ?? '[::]'}:${bound}\n`);
  return { port: bound, close: () => new Promise<void>((r) => srv.close(() => r())) };
}
