/** The Kiali backend's HTTP server: the UI under /kiali, its REST API, and the Prometheus/trace-store proxies. */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { MetricsSource } from '@trellis/kiali-traffic';
import type { Logger } from '@trellis/shared';
import { registerKialiApi } from './api/plugin';
import type { ControlPlaneClient } from './control-plane/client';
import { installErrorHandling } from './http/errors';
import { registerProxies } from './http/proxies';
import { controlPlaneInventory } from './inventory/inventory';
import { registerUi } from './ui/routes';
import type { UiBuild } from './ui/ui-build';

export interface KialiAppOptions {
  readonly logger: Logger;
  readonly client: ControlPlaneClient;
  readonly metrics: MetricsSource;
  /** Absent in API-only tests. */
  readonly ui?: UiBuild;
  readonly prometheusUrl?: string;
  readonly tracingUrl?: string;
  readonly istioNamespace?: string;
  readonly scrapeIntervalSeconds?: number;
  readonly now?: () => number;
}

export async function buildApp(options: KialiAppOptions): Promise<FastifyInstance> {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger });
  installErrorHandling(app);
  app.get('/healthz', async () => ({ status: 'ok' }));
  const status = { metricsSource: options.metrics.name, ...(options.prometheusUrl !== undefined && { prometheusUrl: options.prometheusUrl }), ...(options.tracingUrl !== undefined && { tracingUrl: options.tracingUrl }) };
  await registerKialiApi(app, {
    client: options.client,
    inventory: controlPlaneInventory(options.client),
    metrics: options.metrics,
    status,
    istioNamespace: options.istioNamespace ?? 'istio-system',
    scrapeIntervalSeconds: options.scrapeIntervalSeconds ?? 15,
    ...(options.now !== undefined && { now: options.now }),
  });
  await registerProxies(app, { ...(options.prometheusUrl !== undefined && { prometheusUrl: options.prometheusUrl }), ...(options.tracingUrl !== undefined && { tracingUrl: options.tracingUrl }) });
  if (options.ui !== undefined) registerUi(app, options.ui);
  return app;
}
