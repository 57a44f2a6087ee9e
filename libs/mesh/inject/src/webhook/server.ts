import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger, type Logger } from '@trellis/shared';
import { InjectErrorCode, injectError } from '../errors';
import type { InjectMeshConfig } from '../pod/mesh-config';
import type { Labels } from '../pod/types';
import { handleAdmissionReview, type AdmissionContext } from './admission';
import { toHttpError } from './http-errors';

export interface InjectionWebhookOptions {
  /** Default `0.0.0.0`. */
  readonly host?: string;
  /** Default 15017 (istiod's webhook port); 0 picks a free port. */
  readonly port?: number;
  readonly tls: { readonly certPem: string; readonly keyPem: string };
  readonly getNamespaceLabels: (namespace: string) => Promise<Labels>;
  readonly meshConfig: InjectMeshConfig;
  readonly logger?: Logger;
  /** Default 6 MiB (well above the apiserver's object limit). */
  readonly maxBodyBytes?: number;
}

export interface InjectionWebhook {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const INJECT_PATH = /^\/inject(\/.*)?$/;

async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('application/json')) throw injectError(InjectErrorCode.unsupportedMediaType, 'content type must be application/json', { contentType: type });
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw injectError(InjectErrorCode.bodyTooLarge, 'request body too large', { limit });
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw injectError(InjectErrorCode.admissionMalformed, 'request body is not valid JSON', {});
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function route(req: IncomingMessage, ctx: AdmissionContext, limit: number): Promise<unknown> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  if (path === '/ready') return { status: 'ok' };
  if (!INJECT_PATH.test(path)) throw injectError(InjectErrorCode.notFound, 'no such endpoint', { path });
  if (req.method !== 'POST') throw injectError(InjectErrorCode.methodNotAllowed, 'use POST', { method: req.method });
  return handleAdmissionReview(await readJson(req, limit), ctx);
}

/** HTTPS server for `POST /inject` (and `/inject/…`), plus `GET /ready`. */
export async function startInjectionWebhook(options: InjectionWebhookOptions): Promise<InjectionWebhook> {
  const logger = options.logger ?? silentLogger();
  const ctx: AdmissionContext = { meshConfig: options.meshConfig, getNamespaceLabels: options.getNamespaceLabels, logger };
  const limit = options.maxBodyBytes ?? 6 * 1024 * 1024;
  const server: Server = createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, (req, res) => {
    route(req, ctx, limit).then(
      (body) => send(res, 200, body),
      (err: unknown) => {
        const { status, body } = toHttpError(err);
        if (status === 500) logger.error({ err }, 'webhook request failed');
        if (status === 413) res.setHeader('connection', 'close');
        send(res, status, body);
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 15017, options.host ?? '0.0.0.0', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  logger.info({ port }, 'injection webhook listening');
  return {
    port,
    url: `https://${options.host ?? '0.0.0.0'}:${port}/inject`,
    close: () => new Promise<void>((resolve) => { server.close(() => resolve()); server.closeAllConnections(); }),
  };
}
