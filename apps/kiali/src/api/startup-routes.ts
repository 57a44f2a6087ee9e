/** Start-up endpoints (contract §3, called on every page load) and the constant ones the UI polls. */
import type { FastifyInstance } from 'fastify';
import { meshTlsStatus } from '../model/tls';
import { AUTH_INFO, JAEGER_DISABLED, permissionsFor, serverConfig, statusBody } from '../model/startup';
import { stringParam, type KialiApiDeps } from './deps';

const PERMISSION_TYPES = ['authorizationpolicies', 'sidecars', 'gateways', 'peerauthentications', 'requestauthentications', 'virtualservices', 'destinationrules'];

interface ComponentStatus {
  name: string;
  status: 'Healthy' | 'Unhealthy' | 'Unreachable' | 'NotFound';
  is_core: boolean;
}

/**
 * istiod = the control plane answering; the ingress gateway = a gateway proxy labelled
 * istio=ingressgateway connected over ADS (local mode does not register it), else its pods in the
 * registry, ready or not.
 */
async function istioStatus(deps: KialiApiDeps): Promise<ComponentStatus[]> {
  try {
    const [pods, proxies] = await Promise.all([deps.client.workloads(), deps.client.connectedProxies()]);
    const connected = proxies.some((p) => p.type === 'router' && p.labels['istio'] === 'ingressgateway');
    const gateway = pods.filter((p) => p.namespace === deps.istioNamespace && p.labels['istio'] === 'ingressgateway');
    const gwStatus = connected || (gateway.length > 0 && gateway.every((p) => p.ready)) ? 'Healthy' : gateway.length === 0 ? 'NotFound' : 'Unhealthy';
    return [
      { name: 'istiod', status: 'Healthy', is_core: true },
      { name: 'istio-ingressgateway', status: gwStatus, is_core: true },
    ];
  } catch {
    return [{ name: 'istiod', status: 'Unreachable', is_core: true }];
  }
}

export function registerStartupRoutes(app: FastifyInstance, deps: KialiApiDeps): void {
  app.get('/auth/info', async () => AUTH_INFO);
  app.get('/logout', async (_req, reply) => reply.code(204).send());
  app.get('/status', async () => statusBody(deps.status));
  app.get('/jaeger', async () => JAEGER_DISABLED);
  app.get('/grafana', async (_req, reply) => reply.code(204).send());
  app.get('/config', async () => serverConfig(deps.istioNamespace, deps.scrapeIntervalSeconds));
  app.get('/istio/status', async () => istioStatus(deps));
  app.get('/mesh/tls', async () => ({ status: meshTlsStatus(await deps.client.list('peerauthentications'), deps.istioNamespace) }));
  app.get('/istio/permissions', async (req) => {
    const namespaces = (stringParam(req.query, 'namespaces') ?? '').split(',').filter((n) => n !== '');
    return Object.fromEntries(namespaces.map((ns) => [ns, Object.fromEntries(PERMISSION_TYPES.map((t) => [t, permissionsFor(t)]))]));
  });
}
