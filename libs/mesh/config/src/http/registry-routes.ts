import type { FastifyInstance } from 'fastify';
import { serviceHostname, validateMeshService, validateWorkloadInstance, type FieldProblem, type MeshService, type WorkloadInstance } from '@trellis/mesh-api';
import type { ServiceRegistry } from '../registry/service-registry';
import type { RegistryDeleteResponse, RegistryListResponse, RegistryUpsertResponse } from './api-types';
import { badRequest, notFound } from './http-errors';

type Params = { namespace: string; name: string };
type Obj = Record<string, unknown>;

/** The body with name/namespace taken from the URL; a body that disagrees with the URL is rejected. */
function withIdentity(body: unknown, params: Params): Obj {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('request body must be a JSON object', [{ path: '', message: 'must be an object' }]);
  }
  const o = { ...(body as Obj) };
  const problems: FieldProblem[] = [];
  for (const field of ['namespace', 'name'] as const) {
    if (o[field] !== undefined && o[field] !== params[field]) problems.push({ path: field, message: `must match the URL (${JSON.stringify(params[field])})` });
    o[field] = params[field];
  }
  if (problems.length > 0) throw badRequest('body does not match the URL', problems);
  return o;
}

function checked<T>(value: Obj, problems: FieldProblem[], what: string): T {
  if (problems.length > 0) throw badRequest(`invalid ${what}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, problems);
  return value as T;
}

/** /api/v1/registry/… routes. */
export function registerRegistryRoutes(app: FastifyInstance, registry: ServiceRegistry, domainSuffix: string): void {
  app.get('/api/v1/registry/services', async (): Promise<RegistryListResponse<MeshService>> => ({ items: registry.services() }));
  app.get('/api/v1/registry/workloads', async (): Promise<RegistryListResponse<WorkloadInstance>> => ({ items: registry.workloads() }));

  app.put<{ Params: Params }>('/api/v1/registry/services/:namespace/:name', async (request): Promise<RegistryUpsertResponse<MeshService>> => {
    const body = withIdentity(request.body, request.params);
    body['hostname'] ??= serviceHostname(request.params.name, request.params.namespace, domainSuffix);
    body['selector'] ??= {};
    const service = checked<MeshService>(body, validateMeshService(body), 'MeshService');
    return { action: registry.upsertService(service), item: service };
  });

  app.put<{ Params: Params }>('/api/v1/registry/workloads/:namespace/:name', async (request): Promise<RegistryUpsertResponse<WorkloadInstance>> => {
    const body = withIdentity(request.body, request.params);
    const workload = checked<WorkloadInstance>(body, validateWorkloadInstance(body), 'WorkloadInstance');
    return { action: registry.upsertWorkload(workload), item: workload };
  });

  app.delete<{ Params: Params }>('/api/v1/registry/services/:namespace/:name', async (request): Promise<RegistryDeleteResponse> => {
    const { namespace, name } = request.params;
    if (!registry.removeService(namespace, name)) throw notFound(`service ${namespace}/${name} not found`);
    return { action: 'deleted', namespace, name };
  });

  app.delete<{ Params: Params }>('/api/v1/registry/workloads/:namespace/:name', async (request): Promise<RegistryDeleteResponse> => {
    const { namespace, name } = request.params;
    if (!registry.removeWorkload(namespace, name)) throw notFound(`workload ${namespace}/${name} not found`);
    return { action: 'deleted', namespace, name };
  });
}
