import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@trellis/shared';
import type { JwtServerArgs } from './args';
import { parseGoDuration } from './go-duration';
import { JWKS_TEXT } from './jwks';

/**
 * Istio's jwt-server ServeHTTP: every path answers 200 with the JWKS; `?delay=<Go duration>` waits first,
 * an unparsable delay is 400 `Invalid delay parameter`. Go sniffs both bodies as text/plain.
 */
export function serveJwks(req: IncomingMessage, res: ServerResponse): void {
  const delayParam = new URL(req.url ?? '/', 'http://jwt-server').searchParams.get('delay') ?? '';
  const delayMs = delayParam === '' ? 0 : parseGoDuration(delayParam);
  const answer = (status: number, body: string): void => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) }).end(body);
  };
  if (delayMs === undefined) return answer(400, 'Invalid delay parameter');
  if (delayMs <= 0) return answer(200, JWKS_TEXT);
  const timer = setTimeout(() => answer(200, JWKS_TEXT), delayMs);
  res.once('close', () => clearTimeout(timer));
}

export interface JwtServer {
  readonly httpPort: number;
  readonly httpsPort: number | undefined;
  close(): Promise<void>;
}

function listen(server: Server, host: string | undefined, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

const goAddr = (a: AddressInfo): string => (a.address.includes(':') ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`);

/** HTTP on `httpPort`, and HTTPS on `httpsPort` when a certificate and key are given. */
export async function startJwtServer(args: JwtServerArgs, logger: Logger): Promise<JwtServer> {
  const servers: Server[] = [];
  const close = async (): Promise<void> => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    logger.info('Stopped JWT HTTP server');
  };
  try {
    const http = createHttpServer(serveJwks);
    servers.push(http);
    const h = await listen(http, args.host, args.httpPort);
    logger.info(`Starting HTTP server at ${goAddr(h)}`);
    if (args.cert === undefined || args.key === undefined) return { httpPort: h.port, httpsPort: undefined, close };
    const https = createHttpsServer({ cert: readFileSync(args.cert), key: readFileSync(args.key) }, serveJwks);
    servers.push(https);
    const s = await listen(https, args.host, args.httpsPort);
    logger.info(`Starting HTTPS server on port ${goAddr(s)}`);
    return { httpPort: h.port, httpsPort: s.port, close };
  } catch (err) {
    await close();
    throw err;
  }
}
