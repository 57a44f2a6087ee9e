import type { FastifyInstance } from 'fastify';
import type { ProductpageMetrics } from '../metrics';

export function registerMetrics(app: FastifyInstance, metrics: ProductpageMetrics): void {
  app.get('/metrics', async (_req, reply) => {
    const text = await metrics.registry.metrics();
    return reply.code(200).header('content-type', metrics.registry.contentType).send(text);
  });
}
