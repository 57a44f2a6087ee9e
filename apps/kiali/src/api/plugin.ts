/**
 * Kiali's REST API under `/kiali/api`: what this app answers from the control plane (start-up,
 * namespaces, Istio config and its writes, lists, details), plus the traffic routes (graph, health,
 * metrics) of @trellis/kiali-traffic over the same inventory and the chosen metrics source.
 */
import type { FastifyInstance } from 'fastify';
import { kialiTrafficRoutes, type MetricsSource } from '@trellis/kiali-traffic';
import { FirstSeen } from '../inventory/first-seen';
import type { KialiApiDeps } from './deps';
import { registerIstioConfigRoutes } from './istio-config-routes';
import { registerIstioWriteRoutes } from './istio-write-routes';
import { registerListRoutes } from './list-routes';
import { registerNamespaceRoutes } from './namespace-routes';
import { API_PREFIX } from './prefix';
import { registerStartupRoutes } from './startup-routes';


export interface KialiApiOptions extends KialiApiDeps {
  readonly metrics: MetricsSource;
  /** Epoch milliseconds (tests pin it). */
  readonly now?: () => number;
}

export async function registerKialiApi(app: FastifyInstance, options: KialiApiOptions): Promise<void> {
  await app.register(
    async (api) => {
      // The UI sends its JSON write bodies as strings, which axios labels form-urlencoded: read them raw.
      api.addContentTypeParser(['application/x-www-form-urlencoded', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
      const firstSeen = new FirstSeen(options.now);
      registerStartupRoutes(api, options);
      registerNamespaceRoutes(api, options);
      registerIstioConfigRoutes(api, options);
      registerIstioWriteRoutes(api, options);
      registerListRoutes(api, options, (key) => firstSeen.of(key));
    },
    { prefix: API_PREFIX },
  );
  await app.register(kialiTrafficRoutes, { prefix: API_PREFIX, inventory: options.inventory, metrics: options.metrics, ...(options.now !== undefined && { now: options.now }) });
}
