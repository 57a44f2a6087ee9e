import { Registry, collectDefaultMetrics } from 'prom-client';
import { JwksResolver, registryDialer, SnapshotBuilder, StatusOverlayStore } from '@trellis/mesh-config';
import { precompileValidators } from '@trellis/mesh-api';
import { createAdsServer } from '@trellis/mesh-xds';
import type { Logger } from '@trellis/shared';
import { startCa } from './ca';
import type { ControlPlaneConfig } from './config';
import { localGatewayApiStatus } from './gateway-api-status';
import { generateFor } from './generate';
import { buildHttpServer } from './http-server';
import { openSources } from './sources';

export interface RunningControlPlane {
  readonly xdsPort: number;
  readonly httpPort: number;
  /** The CA's gRPC/TLS port when the CA runs (`config.ca`). */
  readonly caPort?: number;
  close(): Promise<void>;
}

/** Ingest (file store + local registry) → snapshots → translate → ADS, plus the HTTP API. */
export async function startControlPlane(config: ControlPlaneConfig, logger: Logger): Promise<RunningControlPlane> {
  const compileStart = performance.now();
  // the config API's and the webhook's validators, compiled before serving: the first apply does not pay for them
  const kinds = precompileValidators();
  logger.debug({ kinds, ms: Math.round(performance.now() - compileStart) }, 'config validators compiled');
  const sources = await openSources(config, logger);
  const ca = config.ca === undefined ? undefined : await startCa(config, config.ca, logger);
  const { store, registry, credentials, secretStore, meshConfig } = sources;
  // Local mode has no cluster DNS: Service hosts in jwksUri are dialled at their workloads (Kubernetes resolves them).
  const dial = sources.mode === 'local' ? { dial: registryDialer(registry) } : {};
  const jwks = JwksResolver.start({ store, logger, ...dial, ...(config.jwksRefreshMs === undefined ? {} : { refreshIntervalMs: config.jwksRefreshMs }) });
  const snapshots = new SnapshotBuilder({ store, registry, credentials, meshConfig, jwks });
  const retryJwks = registry.onChange(() => void jwks.retryMissing());
  const metrics = new Registry();
  collectDefaultMetrics({ register: metrics });
  const ads = createAdsServer({
    generate: generateFor(() => snapshots.current(), { mtls: config.mtls ?? false, trustDomain: config.trustDomain ?? 'cluster.local', http10: config.http10 === true }),
    logger,
    debounce: { quietMs: config.debounceQuietMs, maxMs: config.debounceMaxMs },
    registry: metrics,
    privateApis: config.privateApis,
  });
  snapshots.onChange((s) => {
    logger.debug({ revision: s.revision }, 'snapshot changed');
    ads.push(`revision ${s.revision}`);
  });
  const xdsPort = await ads.bind(`${config.host}:${config.xdsPort}`);
  let ready = false;
  // Local mode: the Gateway API status istiod would write to /status, on the config API's reads
  const apiStore = sources.mode === 'local' ? new StatusOverlayStore(store, localGatewayApiStatus(store, registry)) : store;
  const http = await buildHttpServer({ store: apiStore, registry, secrets: secretStore, ads, metrics, logger, isReady: () => ready, meshConfig: () => snapshots.current().meshConfig });
  await http.listen({ host: config.host, port: config.httpPort });
  const address = http.server.address();
  const httpPort = typeof address === 'object' && address ? address.port : config.httpPort;
  ready = true;
  logger.info({ xdsPort, httpPort, caPort: ca?.port, mode: sources.mode }, 'control plane ready');
  return {
    xdsPort,
    httpPort,
    ...(ca === undefined ? {} : { caPort: ca.port }),
    close: async () => {
      ready = false;
      await http.close();
      await ads.close();
      snapshots.close();
      retryJwks();
      jwks.close();
      await ca?.close();
      await sources.close();
    },
  };
}
