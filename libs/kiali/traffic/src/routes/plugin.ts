import type { FastifyPluginAsync } from 'fastify';
import type { KialiTrafficOptions } from '../inventory';
import type { RouteContext } from './context';
import { registerGraphRoutes } from './graph-routes';
import { registerHealthRoutes } from './health-routes';
import { registerMetricsRoutes } from './metrics-routes';

/**
 * Kiali's graph, metrics and health endpoints; register with `{ prefix: '/kiali/api' }`.
 * Errors are thrown as TrellisErrors (BAD_REQUEST naming the parameter, NOT_FOUND naming the
 * resource) for the server's one error handler.
 */
export const kialiTrafficRoutes: FastifyPluginAsync<KialiTrafficOptions> = async (app, opts) => {
  const now = opts.now ?? Date.now;
  const ctx: RouteContext = { inventory: opts.inventory, metrics: opts.metrics, nowSeconds: () => Math.floor(now() / 1000), cluster: opts.cluster ?? 'Kubernetes' };
  registerGraphRoutes(app, ctx);
  registerMetricsRoutes(app, ctx);
  registerHealthRoutes(app, ctx);
};
