/** `/api/v1/products[...]`: JSON in simplejson style, downstream statuses passed through. */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sendExact } from '@trellis/bookinfo-common';
import type { Backends, DownstreamResult } from '../backends';
import type { ProductpageConfig } from '../config';
import { PRODUCTS } from '../products';
import { pyJsonDumps } from '../py-json';
import { forwardHeaders } from '../request-context';

interface IdParams {
  readonly id: string;
}

function sendResult(reply: FastifyReply, result: DownstreamResult): FastifyReply {
  return sendExact(reply, result.status, 'application/json', pyJsonDumps(result.body));
}

export function registerApi(app: FastifyInstance, config: ProductpageConfig, backends: Backends): void {
  const secret = config.sessionSecret;
  app.get('/api/v1/products', (_req, reply) => sendExact(reply, 200, 'application/json', pyJsonDumps(PRODUCTS)));
  app.get<{ Params: IdParams }>('/api/v1/products/:id', async (req, reply) =>
    sendResult(reply, await backends.details(req.params.id, forwardHeaders(req, secret))),
  );
  app.get<{ Params: IdParams }>('/api/v1/products/:id/reviews', async (req, reply) =>
    sendResult(reply, await backends.reviews(req.params.id, forwardHeaders(req, secret))),
  );
  app.get<{ Params: IdParams }>('/api/v1/products/:id/ratings', async (req, reply) =>
    sendResult(reply, await backends.ratings(req.params.id, forwardHeaders(req, secret))),
  );
}
