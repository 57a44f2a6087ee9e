/**
 * ratings (upstream: Node.js + httpdispatcher). GET/POST `/ratings/<anything>`, GET `/health`;
 * everything else is 404 with an empty body.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '@trellis/shared';
import { productIdFromUrl, RatingsStore } from './ratings-store';
import { installErrorHandling, sendJson, BAD_ID, BAD_JSON } from './errors';
import { DB_ERROR_BODIES, isRatingsDbError, type RatingsDatabase } from './db/ratings-database';
import { UnreachableDatabase } from './db/unreachable-database';

export interface RatingsAppOptions {
  readonly serviceVersion: string;
  readonly logger: Logger;
  /** Largest accepted POST body; larger ones get upstream's "valid ratings JSON" 400. */
  readonly bodyLimit?: number;
  /** v2's backend (default: the MongoDB this build cannot reach). */
  readonly database?: RatingsDatabase;
}

const POST_NOT_IMPLEMENTED = { error: 'Post not implemented for database backed ratings' };

export function buildApp(options: RatingsAppOptions): FastifyInstance {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, exposeHeadRoutes: false, bodyLimit: options.bodyLimit ?? 1024 * 1024 });
  const store = new RatingsStore();
  const databaseBacked = options.serviceVersion === 'v2';
  const database = options.database ?? new UnreachableDatabase(undefined);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  installErrorHandling(app);

  app.get('/health', (_req, reply) => sendJson(reply, 200, { status: 'Ratings is healthy' }));

  app.get('/ratings/*', (req: FastifyRequest, reply: FastifyReply) => {
    const productId = productIdFromUrl(req.url);
    if (Number.isNaN(productId)) return sendJson(reply, 400, BAD_ID);
    if (databaseBacked) return sendFromDatabase(database, productId, req, reply);
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

/** v2's GET: `{id, ratings: {Reviewer1, Reviewer2}}` from the first two rows, or upstream's 500 body. */
async function sendFromDatabase(database: RatingsDatabase, productId: number, req: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> {
  try {
    const r = await database.firstTwoRatings();
    return sendJson(reply, 200, { id: productId, ratings: { Reviewer1: r.reviewer1, Reviewer2: r.reviewer2 } });
  } catch (err) {
    if (!isRatingsDbError(err)) throw err;
    req.log.warn({ code: err.code, context: err.context }, 'ratings database read failed');
    return sendJson(reply, 500, DB_ERROR_BODIES[err.code]);
  }
}
