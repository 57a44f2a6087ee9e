import Fastify, { type FastifyInstance } from 'fastify';
import { isTrellisError } from '@trellis/shared';
import type { KialiInventory, MetricsSource } from '../inventory';
import { kialiTrafficRoutes } from '../routes/plugin';
import { BOOKINFO_SERVICES, BOOKINFO_WORKLOADS } from './bookinfo-traffic';

export const bookinfoInventory = (workloads = BOOKINFO_WORKLOADS, services = BOOKINFO_SERVICES): KialiInventory => ({
  namespaces: async () => ['default', 'istio-system'],
  workloads: async (ns) => workloads.filter((w) => ns === undefined || w.namespace === ns),
  services: async (ns) => services.filter((s) => ns === undefined || s.namespace === ns),
});

/** The plugin behind an error handler like kiali-server's (`{error, detail}`, status by code). */
export async function testApp(metrics: MetricsSource, inventory = bookinfoInventory(), now: () => number = () => 1796559111000): Promise<FastifyInstance> {
  const app = Fastify();
  app.setErrorHandler((err: unknown, _req, reply) => {
    const status = isTrellisError(err) ? ({ BAD_REQUEST: 400, NOT_FOUND: 404 } as Record<string, number>)[err.code] ?? 500 : 500;
    return reply.code(status).send({ error: err instanceof Error ? err.message : String(err), detail: isTrellisError(err) ? JSON.stringify(err.context) : '' });
  });
  await app.register(kialiTrafficRoutes, { prefix: '/kiali/api', inventory, metrics, now });
  await app.ready();
  return app;
}
