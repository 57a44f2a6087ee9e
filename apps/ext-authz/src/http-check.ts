import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Logger } from '@trellis/shared';
import { CHECK_HEADER, DENY_BODY, MAX_RECEIVED_LENGTH, OVERRIDE_HEADER, RECEIVED_HEADER, RESULT_ALLOWED, RESULT_HEADER, httpVerdict, returnIfNotTooLong } from './check';
import { goHeaderMap, goHeaderValue } from './go-format';

/** The request body as text, or `<too-long>` past Envoy's header limit (at most that much is buffered). */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_RECEIVED_LENGTH) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_RECEIVED_LENGTH ? '<too-long>' : returnIfNotTooLong(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function firstValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The Go server's `l`: `GET host/path, headers: map[…], body: []` plus its trailing newline. */
export function describeRequest(req: IncomingMessage, body: string): string {
  return `${req.method ?? 'GET'} ${req.headers.host ?? ''}${req.url ?? '/'}, headers: ${goHeaderMap(req.rawHeaders)}, body: [${body}]\n`;
}

/**
 * Istio's HTTP check (ServeHTTP): any method and path; `x-ext-authz: allow` → 200 without body, else
 * 403 with DENY_BODY; both carry the result, the check request's override header and the request dump.
 */
export async function handleHttpCheck(req: IncomingMessage, res: ServerResponse, logger: Logger): Promise<void> {
  const line = describeRequest(req, await readBody(req));
  const verdict = httpVerdict(firstValue(req.headers[CHECK_HEADER]));
  logger.info(`[HTTP][${verdict}]: ${line}`);
  res.setHeader(RESULT_HEADER, verdict);
  res.setHeader(OVERRIDE_HEADER, goHeaderValue(firstValue(req.headers[OVERRIDE_HEADER]) ?? ''));
  res.setHeader(RECEIVED_HEADER, goHeaderValue(line));
  if (verdict === RESULT_ALLOWED) {
    res.writeHead(200, { 'content-length': '0' }).end();
    return;
  }
  // Go's ResponseWriter sniffs a text body as `text/plain; charset=utf-8`.
  res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(DENY_BODY)) }).end(DENY_BODY);
}

export function createHttpCheckServer(logger: Logger): Server {
  return createServer((req, res) => {
    handleHttpCheck(req, res, logger).catch((err: unknown) => {
      logger.error({ err }, '[HTTP] check failed');
      res.destroy();
    });
  });
}
