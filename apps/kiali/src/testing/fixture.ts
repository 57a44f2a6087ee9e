/**
 * A real control plane HTTP API (the config store + registry plugin of libs/mesh/config on a socket,
 * port 0) holding Bookinfo in `default` and the ingress gateway in istio-system, and a Kiali app over it.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';
import { configApi, LocalRegistry, MemoryConfigStore } from '@trellis/mesh-config';
import type { MetricsSource } from '@trellis/kiali-traffic';
import { silentLogger } from '@trellis/shared';
import { buildApp } from '../app';
import { controlPlaneClient } from '../control-plane/client';
import type { UiBuild } from '../ui/ui-build';

export const BOOKINFO = [
  ['productpage', 'v1'],
  ['details', 'v1'],
  ['reviews', 'v1'],
  ['reviews', 'v2'],
  ['reviews', 'v3'],
  ['ratings', 'v1'],
] as const;

export function bookinfoService(app: string, portName = 'http'): MeshService {
  return { name: app, namespace: 'default', hostname: `${app}.default.svc.cluster.local`, labels: { app, service: app }, selector: { app }, ports: [{ name: portName, port: 9080, targetPort: 9080, protocol: portName === 'http' ? 'HTTP' : 'TCP' }] };
}

export function bookinfoRegistry(): LocalRegistry {
  const registry = new LocalRegistry();
  for (const app of ['productpage', 'details', 'reviews', 'ratings']) registry.upsertService(bookinfoService(app));
  BOOKINFO.forEach(([app, version], i) => {
    const pod: WorkloadInstance = { name: `${app}-${version}-7d79d5bd5d-8zzq${'bcdfgh'[i] ?? 'b'}`, namespace: 'default', address: `127.0.10.${10 + i}`, labels: { app, version }, serviceAccount: `bookinfo-${app}`, sidecar: true, ready: true };
    registry.upsertWorkload(pod);
  });
  registry.upsertWorkload({ name: 'prometheus-7mgvqmnb8h-vknm8', namespace: 'istio-system', address: '127.0.10.1', labels: { 'app.kubernetes.io/name': 'prometheus' }, serviceAccount: 'prometheus', sidecar: false, ready: true });
  return registry;
}

/** A metrics source with no data (the traffic routes answer Kiali's empty shapes). */
export const NO_METRICS: MetricsSource = { name: 'none', query: async () => [], queryRange: async () => [] };

export interface Fixture {
  readonly controlPlane: FastifyInstance;
  readonly store: MemoryConfigStore;
  readonly registry: LocalRegistry;
  readonly controlPlaneUrl: string;
  readonly kiali: FastifyInstance;
  close(): Promise<void>;
}

export async function startFixture(options: { ui?: UiBuild; prometheusUrl?: string; tracingUrl?: string } = {}): Promise<Fixture> {
  const store = new MemoryConfigStore();
  const registry = bookinfoRegistry();
  const controlPlane = Fastify();
  await controlPlane.register(configApi, { store, registry, logger: silentLogger() });
  // As the control plane's /debug/syncz: local mode's gateway is connected over ADS, not registered.
  controlPlane.get('/debug/syncz', async () => [
    { proxy: { type: 'router', workloadName: 'istio-ingressgateway-7f56p8g9v6-qrclk', namespace: 'istio-system', ipAddress: '127.0.10.2', labels: { istio: 'ingressgateway', app: 'istio-ingressgateway' }, serviceAccount: 'istio-ingressgateway-service-account' } },
    { proxy: { type: 'sidecar', workloadName: 'details-v1-7d79d5bd5d-8zzqc', namespace: 'default', ipAddress: '127.0.10.11', labels: { app: 'details', version: 'v1' }, serviceAccount: 'bookinfo-details' } },
  ]);
  const controlPlaneUrl = await controlPlane.listen({ host: '127.0.0.1', port: 0 });
  const kiali = await buildApp({ logger: silentLogger(), client: controlPlaneClient(controlPlaneUrl, 2000), metrics: NO_METRICS, ...options, now: () => Date.parse('2026-01-01T00:00:00Z') });
  await kiali.ready();
  return {
    controlPlane,
    store,
    registry,
    controlPlaneUrl,
    kiali,
    close: async () => {
      await kiali.close();
      await controlPlane.close();
    },
  };
}

export const vsObject = (name: string, weights: number[], apiVersion = 'networking.istio.io/v1alpha3'): Record<string, unknown> => ({
  apiVersion,
  kind: 'VirtualService',
  metadata: { name, namespace: 'default', labels: { 'kiali_wizard': 'traffic_shifting' } },
  spec: { hosts: [name], http: [{ route: weights.map((weight, i) => ({ destination: { host: name, subset: `v${i + 1}` }, weight })) }] },
});

export const drObject = (name: string, versions: string[]): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1alpha3',
  kind: 'DestinationRule',
  metadata: { name, namespace: 'default', labels: { 'kiali_wizard': 'traffic_shifting' } },
  spec: { host: name, subsets: versions.map((v) => ({ name: v, labels: { version: v } })) },
});
