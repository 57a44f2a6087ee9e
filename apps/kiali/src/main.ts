import type { AddressInfo } from 'node:net';
import { inProcessSource, prometheusSource } from '@trellis/kiali-traffic';
import { createLogger, errorMessage, shutdownOnSignals } from '@trellis/shared';
import { buildApp } from './app';
import { loadConfig } from './config';
import { controlPlaneClient } from './control-plane/client';
import { controlPlaneInventory } from './inventory/inventory';
import { loadUiBuild } from './ui/ui-build';

// Kiali's backend for the prebuilt Kiali UI, over the mesh's own data (docs/observability.md, Kiali).
async function main(): Promise<void> {
  const config = loadConfig(process.argv.slice(2), process.env);
  const logger = createLogger({ name: 'kiali', level: config.logLevel });
  const ui = loadUiBuild(config.uiDir);
  const client = controlPlaneClient(config.controlPlaneUrl);
  const scraper = config.prometheusUrl === undefined ? inProcessSource({ inventory: controlPlaneInventory(client) }) : undefined;
  const metrics = scraper ?? prometheusSource({ url: config.prometheusUrl ?? '' });
  const app = await buildApp({ logger, client, metrics, ui, ...(config.prometheusUrl !== undefined && { prometheusUrl: config.prometheusUrl }), ...(config.tracingUrl !== undefined && { tracingUrl: config.tracingUrl }) });
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address() as AddressInfo;
  logger.info({ host: address.address, port: address.port, controlPlane: config.controlPlaneUrl, metrics: metrics.name, ui: config.uiDir }, 'listening');
  shutdownOnSignals([app, ...(scraper !== undefined ? [{ close: async () => scraper.close() }] : [])], logger);
}

main().catch((err: unknown) => {
  createLogger({ name: 'kiali' }).fatal({ err }, 'startup failed');
  process.stderr.write(`kiali: ${errorMessage(err)}\n`);
  process.exit(1);
});
