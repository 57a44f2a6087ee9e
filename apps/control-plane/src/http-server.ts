import Fastify, { type FastifyInstance } from 'fastify';
import type { MeshConfig } from '@trellis/mesh-api';
import type { Registry } from 'prom-client';
import { configApi, type ConfigStore, type MemorySecretStore, type ServiceRegistry } from '@trellis/mesh-config';
import { xdsDebugApi, type AdsServer } from '@trellis/mesh-xds';
import type { Logger } from '@trellis/shared';
import { resolveProxyId } from './generate';

export const CONTROL_PLANE_VERSION = '0.1.0';

export interface HttpServerDeps {
  readonly store: ConfigStore;
  readonly registry: ServiceRegistry;
  /** Local mode's Secrets (gateway credentials); absent in Kubernetes mode. */
  readonly secrets?: MemorySecretStore;
  readonly ads: AdsServer;
  readonly metrics: Registry;
  readonly logger: Logger;
  readonly isReady: () => boolean;
  /** The mesh config in force (the snapshot's), for `trellis analyze`. */
  readonly meshConfig?: () => MeshConfig | undefined;
}

/** The 15014 server: config + registry API, xDS debug endpoints, readiness, metrics, version. */
export async function buildHttpServer(deps: HttpServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  await app.register(configApi, {
    store: deps.store,
    registry: deps.registry,
    logger: deps.logger,
    ...(deps.secrets !== undefined ? { secrets: deps.secrets } : {}),
    ...(deps.meshConfig !== undefined ? { meshConfig: deps.meshConfig } : {}),
  });
  const debugView = {
    syncStatus: () => deps.ads.syncStatus(),
    configDump: (id: string) => deps.ads.configDump(resolveProxyId(id, deps.ads.connectedProxies())),
  };
  await app.register(xdsDebugApi({ server: debugView }));
  app.get('/ready', async (_req, reply) => (deps.isReady() ? reply.send('ready') : reply.code(503).send('not ready')));
  app.get('/version', async () => ({ name: 'trellis-control-plane', version: CONTROL_PLANE_VERSION }));
  app.get('/metrics', async (_req, reply) => reply.type(deps.metrics.contentType).send(await deps.metrics.metrics()));
  app.setNotFoundHandler((req, reply) => {
    void reply.code(404).send({ error: { code: 'NOT_FOUND', message: 'no such endpoint', details: [{ path: req.url }] } });
  });
  return app;
}
