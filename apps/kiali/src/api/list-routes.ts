/** The Applications, Workloads and Services lists, and their details pages. */
import type { FastifyInstance } from 'fastify';
import { API_PREFIX } from './prefix';
import { TrellisError } from '@trellis/shared';
import { appDetails, serviceInMesh, serviceObject, serviceWorkloads, workloadDetails } from '../model/details';
import { appNames, appsList, servicesList, workloadsList, type Dated } from '../model/lists';
import { destinationRulesFor, virtualServicesFor } from '../model/service-config';
import { permissionsFor } from '../model/startup';
import { namespaceTlsStatus } from '../model/tls';
import { emptyValidation, serviceValidations, validationsFromAnalysis } from '../model/validations';
import { requireNamespace, stringParam, type KialiApiDeps, type NsParams } from './deps';

const notFound = (resource: string, namespace: string, name: string): TrellisError =>
  new TrellisError('NOT_FOUND', `${resource} ${namespace}/${name} not found`, { resource, name });

/** The Service page reads its health from the details body: the traffic routes' answer for it, when they have one. */
async function serviceHealth(app: FastifyInstance, namespace: string, service: string, rateInterval: string | undefined): Promise<unknown> {
  const query = new URLSearchParams({ rateInterval: rateInterval ?? '60s' });
  const res = await app.inject(`${API_PREFIX}/namespaces/${encodeURIComponent(namespace)}/services/${encodeURIComponent(service)}/health?${query.toString()}`);
  return res.statusCode === 200 ? (res.json() as unknown) : undefined;
}

export function registerListRoutes(app: FastifyInstance, deps: KialiApiDeps, dated: Dated): void {
  const snapshot = async (ns: string): ReturnType<KialiApiDeps['inventory']['snapshot']> => {
    await requireNamespace(deps, ns);
    return deps.inventory.snapshot(ns);
  };

  app.get<{ Params: NsParams }>('/namespaces/:namespace/apps', async (req) => appsList(req.params.namespace, (await snapshot(req.params.namespace)).workloads));
  app.get<{ Params: NsParams }>('/namespaces/:namespace/workloads', async (req) => workloadsList(req.params.namespace, (await snapshot(req.params.namespace)).workloads, dated));
  app.get<{ Params: NsParams }>('/namespaces/:namespace/services', async (req) => {
    const { services, workloads } = await snapshot(req.params.namespace);
    return servicesList(req.params.namespace, services, workloads, serviceValidations(services, workloads));
  });

  app.get<{ Params: NsParams & { app: string } }>('/namespaces/:namespace/apps/:app', async (req) => {
    const { namespace, app: name } = req.params;
    const { services, workloads } = await snapshot(namespace);
    if (!appNames(workloads).includes(name)) throw notFound('app', namespace, name);
    return appDetails(namespace, name, workloads, services);
  });

  app.get<{ Params: NsParams & { workload: string } }>('/namespaces/:namespace/workloads/:workload', async (req) => {
    const { namespace, workload } = req.params;
    const { services, workloads } = await snapshot(namespace);
    const found = workloads.find((w) => w.name === workload);
    if (found === undefined) throw notFound('workload', namespace, workload);
    return workloadDetails(found, services, dated);
  });

  app.get<{ Params: NsParams & { service: string } }>('/namespaces/:namespace/services/:service', async (req) => {
    const { namespace, service } = req.params;
    const { services, workloads } = await snapshot(namespace);
    const svc = services.find((s) => s.name === service);
    if (svc === undefined) throw notFound('service', namespace, service);
    const [vsAll, drAll, pas, messages] = await Promise.all([
      deps.client.list('virtualservices', namespace),
      deps.client.list('destinationrules', namespace),
      deps.client.list('peerauthentications', namespace),
      deps.client.analyze(namespace),
    ]);
    const health = await serviceHealth(app, namespace, service, stringParam(req.query, 'rateInterval'));
    const vss = virtualServicesFor(svc, vsAll);
    const drs = destinationRulesFor(svc, drAll);
    const analysis = validationsFromAnalysis(messages, namespace);
    const validations = {
      service: { [service]: serviceValidations([svc], workloads)[service] ?? emptyValidation('service', service) },
      virtualservice: Object.fromEntries(vss.map((v) => [v.metadata.name, analysis['virtualservice']?.[v.metadata.name] ?? emptyValidation('virtualservice', v.metadata.name)])),
      destinationrule: Object.fromEntries(drs.map((d) => [d.metadata.name, analysis['destinationrule']?.[d.metadata.name] ?? emptyValidation('destinationrule', d.metadata.name)])),
    };
    return {
      service: serviceObject(svc, dated),
      endpoints: [],
      istioSidecar: serviceInMesh(svc, workloads),
      virtualServices: { items: vss, permissions: permissionsFor('virtualservices') },
      destinationRules: { items: drs, permissions: permissionsFor('destinationrules') },
      workloads: serviceWorkloads(svc, workloads, dated),
      ...(health !== undefined && { health }),
      namespaceMTLS: { status: namespaceTlsStatus(pas, namespace) },
      validations,
      additionalDetails: [],
    };
  });
}
