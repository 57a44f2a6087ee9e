import type { FastifyPluginAsync } from 'fastify';
import type { KialiTrafficOptions } from '../inventory';

/** Kiali's graph, metrics and health endpoints; register with `{ prefix: '/kiali/api' }`. */
export const kialiTrafficRoutes: FastifyPluginAsync<KialiTrafficOptions> = async (_app, _opts) => {
  // Filled in by the following commits.
};
