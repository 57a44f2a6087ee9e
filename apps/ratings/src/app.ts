/**
 * ratings (upstream: Node.js + httpdispatcher). GET/POST `/ratings/<anything>`, GET `/health`;
 * everything else is 404 with an empty body.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '@trellis/shared';
import { productIdFromUrl, RatingsStore } from './ratings-store';
import { installErrorHandling, sendJson, BAD_ID, BAD_JSON } from './errors';

export interface RatingsAppOptions {
  readonly serviceVersion: string;
  readonly logger: Logger;
  /** Largest accepted POST body; larger ones get upstream's "valid ratings JSON" 400. */
  readonly bodyLimit?: number;
}

const DB_UNAVAILABLE = { error: 'could not connect to ratings database' };
const POST_NOT_IMPLEMENTED = { error: 'Post not implemented for database backed ratings' };

export function buildApp(options: RatingsAppOptions): FastifyInstance {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, exposeHeadRoutes: false, bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  const store = new RatingsStore();
  const databaseBacked = options.serviceVersion === 'v2';

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  installErrorHandling(app);

  app.get('/health', (_req, reply) => sendJson(reply, 200, { status: 'Ratings is healthy' }));

  app.get('/ratings/*', (req: FastifyRequest, reply: FastifyReply) => {
    const productId = productIdFromUrl(req.url);
    if (Number.isNaN(productId)) return sendJson(reply, 400, BAD_ID);
    if (databaseBacked) return sendJson(reply, 500, DB_UNAVAILABLE);
    return sendJson(reply, 200, store.get(productId));
  });

  app.post('/ratings/*', (req: FastifyRequest, reply: FastifyReply) => {
    const productId = productIdFromUrl(req.url);
    if (Number.isNaN(productId)) return sendJson(reply, 400, BAD_ID);
    let ratings: unknown;
    try {
      ratings = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      return sendJson(reply, 400, BAD_JSON);
    }
    if (databaseBacked) return sendJson(reply, 501, POST_NOT_IMPLEMENTED);
    return sendJson(reply, 200, store.put(productId, ratings));
  });

  return app;
}
