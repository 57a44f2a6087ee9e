/**
 * details v1 (upstream: Ruby WEBrick). `/details` and `/health` are WEBrick mounts, so any method
 * and any sub-path reaches them; the id is the last path segment.
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '@trellis/shared';
import { sendExact } from '@trellis/bookinfo-common';
import { bookDetailsJson, lastPathSegment } from './book-details';
import { installErrorHandling } from './errors';
import { parseRubyInteger } from './ruby-integer';

export interface DetailsAppOptions {
  readonly logger: Logger;
}

function health(_req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendExact(reply, 200, 'application/json', '{"status":"Details is healthy"}');
}

function details(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const path = req.url.split('?')[0] ?? '';
  const id = parseRubyInteger(lastPathSegment(path));
  if (id === undefined) {
    return sendExact(reply, 400, 'application/json', '{"error":"please provide numeric product id"}');
  }
  return sendExact(reply, 200, 'application/json', bookDetailsJson(id));
}

export function buildApp(options: DetailsAppOptions): FastifyInstance {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, exposeHeadRoutes: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
  installErrorHandling(app);
  for (const path of ['/health', '/health/*']) app.all(path, health);
  for (const path of ['/details', '/details/*']) app.all(path, details);
  return app;
}
