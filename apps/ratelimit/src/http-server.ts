import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@trellis/shared';
import type { Domains } from './config/loader';
import type { DescriptorNode } from './config/config';
import { type RateLimitRequest, entriesOf, responseOf } from './grpc-server';
import type { FixedWindowLimiter } from './limiter';

/**
 * The Go service's HTTP side: `GET /healthcheck` → `OK`; `POST /json` with a RateLimitRequest as
 * JSON → its answer as JSON, status 429 when over the limit; and on the debug port `GET /rlconfig`,
 * the loaded limits one per line (`<domain>.<key>_<value>…: unit=MINUTE requests_per_unit=1`).
 */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain'): void {
  res.writeHead(status, { 'content-type': type }).end(body);
}

async function json(req: IncomingMessage, res: ServerResponse, limiter: FixedWindowLimiter, domains: () => Domains): Promise<void> {
  let parsed: RateLimitRequest;
  try {
    parsed = JSON.parse(await readBody(req)) as RateLimitRequest;
  } catch {
    return send(res, 400, 'invalid JSON body\n');
  }
  const domain = parsed.domain ?? '';
  const entries = entriesOf(parsed);
  if (domain === '' || entries.length === 0) return send(res, 400, 'domain and descriptors are required\n');
  try {
    const d = await limiter.shouldRateLimit(domains().get(domain), domain, entries, 1);
    send(res, d.code === 'OVER_LIMIT' ? 429 : 200, `${JSON.stringify(responseOf(d))}\n`, 'application/json');
  } catch (err) {
    send(res, 500, `${err instanceof Error ? err.message : String(err)}\n`);
  }
}

function dump(prefix: string, level: ReadonlyMap<string, DescriptorNode>, out: string[]): void {
  for (const [key, node] of level) {
    const at = `${prefix}.${key}`;
    if (node.limit !== undefined) out.push(`${at}: unit=${node.limit.unit.toUpperCase()} requests_per_unit=${node.limit.requestsPerUnit}${node.limit.unlimited ? ' unlimited' : ''}`);
    dump(at, node.children, out);
  }
}

export function rlconfigText(domains: Domains): string {
  const out: string[] = [];
  for (const [domain, c] of domains) dump(domain, c.root, out);
  return out.map((l) => `${l}\n`).join('');
}

export function createHttpServer(limiter: FixedWindowLimiter, domains: () => Domains, logger: Logger): Server {
  return createServer((req, res) => {
    if (req.url === '/healthcheck') return send(res, 200, 'OK');
    if (req.url === '/json' && req.method === 'POST') return void json(req, res, limiter, domains).catch((err: unknown) => logger.error({ err }, '/json failed'));
    send(res, 404, '404 page not found\n');
  });
}

export function createDebugServer(domains: () => Domains): Server {
  return createServer((req, res) => (req.url === '/rlconfig' ? send(res, 200, rlconfigText(domains())) : send(res, 404, '404 page not found\n')));
}

export function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
