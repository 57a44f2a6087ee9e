/** reviews v1/v2/v3 (upstream: Java JAX-RS on Open Liberty). */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '@trellis/shared';
import { sendExact, type HttpClient } from '@trellis/bookinfo-common';
import type { ReviewsConfig } from './config';
import { installErrorHandling } from './errors';
import { parseJavaInt } from './java-int';
import { fetchStars } from './ratings-client';
import { reviewsJson } from './reviews-json';

export type ReviewsAppConfig = Pick<
  ReviewsConfig,
  'ratingsEnabled' | 'starColor' | 'ratingsService' | 'ratingsTimeoutMs' | 'podName' | 'clusterName'
>;

export interface ReviewsAppDeps {
  readonly logger: Logger;
  readonly client: HttpClient;
}

const WELCOME =
  '<!DOCTYPE html>\n<html>\n<head><title>Liberty Project</title></head>\n<body>\n' +
  '<h1>Welcome to your Liberty Application</h1>\n</body>\n</html>\n';

export function buildApp(config: ReviewsAppConfig, deps: ReviewsAppDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, exposeHeadRoutes: false, routerOptions: { ignoreTrailingSlash: true } });
  installErrorHandling(app);
  const lookup = { client: deps.client, ratingsService: config.ratingsService, timeoutMs: config.ratingsTimeoutMs, logger: deps.logger };

  app.get('/', (_req, reply) => sendExact(reply, 200, 'text/html', WELCOME));
  app.get('/health', (_req, reply) => sendExact(reply, 200, 'application/json', '{"status": "Reviews is healthy"}'));

  app.get<{ Params: { productId: string } }>('/reviews/:productId', async (req, reply) => {
    const productId = parseJavaInt(req.params.productId);
    if (productId === undefined) return reply.code(404).send();
    const id = String(productId);
    const stars = config.ratingsEnabled ? await fetchStars(lookup, id, req.headers) : ([-1, -1] as [number, number]);
    const body = reviewsJson({
      productId: id,
      podName: config.podName,
      clusterName: config.clusterName,
      ratingsEnabled: config.ratingsEnabled,
      starColor: config.starColor,
      stars,
    });
    return sendExact(reply, 200, 'application/json', body);
  });
  return app;
}
