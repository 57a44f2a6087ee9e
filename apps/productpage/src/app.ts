/** productpage (upstream: Python/Flask): UI, login, JSON API, metrics and static assets. */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import formbody from '@fastify/formbody';
import type { Logger } from '@trellis/shared';
import type { HttpClient } from '@trellis/bookinfo-common';
import { createBackends } from './backends';
import type { ProductpageConfig } from './config';
import { installErrorHandling } from './errors';
import { createMetrics, type ProductpageMetrics } from './metrics';
import { registerApi } from './routes/api';
import { registerAuth } from './routes/auth';
import { registerMetrics } from './routes/metrics';
import { registerPages } from './routes/pages';
import { registerStatic } from './routes/static-files';

export interface ProductpageDeps {
  readonly logger: Logger;
  readonly client: HttpClient;
  readonly metrics?: ProductpageMetrics;
}

export async function buildApp(config: ProductpageConfig, deps: ProductpageDeps): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, bodyLimit: 64 * 1024 });
  const metrics = deps.metrics ?? createMetrics();
  const backends = createBackends(config, { client: deps.client, metrics, logger: deps.logger });

  app.removeAllContentTypeParsers();
  await app.register(formbody);
  // Anything that is not a form (JSON, text, none) is ignored, as Flask's request.values would.
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, _body, done) => done(null, undefined));
  installErrorHandling(app);

  registerPages(app, config, backends);
  registerApi(app, config, backends);
  registerAuth(app, config);
  registerMetrics(app, metrics);
  registerStatic(app, config.assetsDir);
  return app;
}
