import type { FastifyInstance } from 'fastify';
import type { MeshConfig } from '@trellis/mesh-api';
import type { Logger } from '@trellis/shared';
import type { ConfigStore } from '../store/config-store';
import type { ServiceRegistry } from '../registry/service-registry';
import { registerAnalyzeRoute } from './analyze-route';
import { registerConfigRoutes } from './config-routes';
import { registerSecretRoutes } from './secret-routes';
import type { MemorySecretStore } from '../secrets/secret-store';
import { errorHandler } from './http-errors';
import { registerRegistryRoutes } from './registry-routes';

export interface ConfigApiOptions {
  store: ConfigStore;
  registry: ServiceRegistry;
  logger: Logger;
  /** For default service hostnames (default `cluster.local`). */
  domainSuffix?: string;
  /** Local mode: Secrets applied with `trellis apply` (gateway credentials); absent = refused. */
  secrets?: MemorySecretStore;
  /** The mesh config in force, for `trellis analyze` (Telemetry providers). */
  meshConfig?: () => MeshConfig | undefined;
}

/**
 * The control plane's config HTTP API as a Fastify plugin (register it without a prefix):
 * /api/v1/config/…, /api/v1/analyze, /api/v1/registry/…. Errors inside the plugin become
 * `{ error: { code, message, details } }` in one error handler.
 */
export async function configApi(app: FastifyInstance, options: ConfigApiOptions): Promise<void> {
  app.setErrorHandler(errorHandler(options.logger));
  registerConfigRoutes(app, options.store, options.secrets);
  if (options.secrets !== undefined) registerSecretRoutes(app, options.secrets);
  registerAnalyzeRoute(app, options.store, options.registry, options.meshConfig);
  registerRegistryRoutes(app, options.registry, options.domainSuffix ?? 'cluster.local');
}
