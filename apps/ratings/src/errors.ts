/** The one place ratings turns failures into HTTP responses (bodies as upstream's ratings.js). */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { sendExact } from '@trellis/bookinfo-common';
import { productIdFromUrl } from './ratings-store';

export const BAD_ID = { error: 'please provide numeric product ID' };
export const BAD_JSON = { error: 'please provide valid ratings JSON' };

export function sendJson(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return sendExact(reply, status, 'application/json', JSON.stringify(body));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).send();
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode ?? 500;
    const isRatingsPost = req.method === 'POST' && req.url.startsWith('/ratings/');
    if (isRatingsPost && status < 500) {
      // Body problems (too large, unreadable): upstream answers the id check first, then the JSON one.
      req.log.info({ code: err.code }, 'rejected ratings body');
      return sendJson(reply, 400, Number.isNaN(productIdFromUrl(req.url)) ? BAD_ID : BAD_JSON);
    }
    if (status >= 500) req.log.error({ code: err.code, message: err.message }, 'request failed');
    // Upstream's dispatcher answers anything it cannot route with an empty 404.
    return reply.code(status < 500 ? 404 : 500).send();
  });
}
