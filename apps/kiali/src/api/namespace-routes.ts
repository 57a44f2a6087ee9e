/** `api/namespaces` and the per-namespace badges the Overview polls: mTLS status and validation counts. */
import type { FastifyInstance } from 'fastify';
import { namespaceTlsStatus } from '../model/tls';
import { serviceValidations, validationSummary, validationsFromAnalysis } from '../model/validations';
import { requireNamespace, type KialiApiDeps, type NsParams } from './deps';

export function registerNamespaceRoutes(app: FastifyInstance, deps: KialiApiDeps): void {
  app.get('/namespaces', async () => {
    const [names, workloads] = await Promise.all([deps.inventory.namespaces(), deps.inventory.workloads()]);
    // Injection shows as the namespace label when its (non-gateway) workloads have sidecars.
    const injected = (ns: string): boolean => workloads.some((w) => w.namespace === ns && w.sidecar && w.labels['istio'] === undefined);
    return names.map((name) => ({ name, labels: injected(name) ? { 'istio-injection': 'enabled' } : {} }));
  });

  app.get<{ Params: NsParams }>('/namespaces/:namespace/tls', async (req) => {
    await requireNamespace(deps, req.params.namespace);
    return { status: namespaceTlsStatus(await deps.client.list('peerauthentications', req.params.namespace), req.params.namespace) };
  });

  app.get<{ Params: NsParams }>('/namespaces/:namespace/validations', async (req) => {
    const ns = req.params.namespace;
    await requireNamespace(deps, ns);
    const [messages, snapshot, objects] = await Promise.all([deps.client.analyze(ns), deps.inventory.snapshot(ns), countObjects(deps, ns)]);
    const validations = { ...validationsFromAnalysis(messages, ns), service: serviceValidations(snapshot.services, snapshot.workloads) };
    return validationSummary(validations, objects + snapshot.services.length);
  });
}

async function countObjects(deps: KialiApiDeps, namespace: string): Promise<number> {
  const kinds = ['gateways', 'virtualservices', 'destinationrules', 'serviceentries', 'sidecars', 'authorizationpolicies', 'peerauthentications', 'requestauthentications'];
  const lists = await Promise.all(kinds.map((k) => deps.client.list(k, namespace)));
  return lists.reduce((n, l) => n + l.length, 0);
}
