import type { FastifyInstance } from 'fastify';
import type { IstioConfig, ValidationError } from '@trellis/mesh-api';
import { isTrellisError, TrellisError } from '@trellis/shared';
import type { ConfigStore } from '../store/config-store';
import type { ApplyResponse, ConfigListResponse, DeleteResponse, ValidationDetail } from './api-types';
import { notFound } from './http-errors';
import { kindParam, namespaceParam, objectsOf, refsOf } from './request-bodies';

export const BODY_LIMIT = 16 * 1024 * 1024;

type ItemParams = { kind: string; namespace: string; name: string };

/** Keep the API's detail shape exactly `{ kind, namespace, name, path, message }`. */
function apiDetails(err: unknown): unknown {
  if (!isTrellisError(err) || err.code !== 'VALIDATION_FAILED' || !Array.isArray(err.context['details'])) return err;
  const details = (err.context['details'] as ValidationError[]).map(({ kind, namespace, name, path, message }): ValidationDetail => ({ kind, namespace, name, path, message }));
  return new TrellisError(err.code, err.message, { details }, { cause: err });
}

/** /api/v1/config/… routes. */
export function registerConfigRoutes(app: FastifyInstance, store: ConfigStore): void {
  app.post('/api/v1/config/apply', { bodyLimit: BODY_LIMIT }, async (request): Promise<ApplyResponse> => {
    const objects = objectsOf(request.body);
    try {
      return { results: await store.applyAll(objects, { namespace: namespaceParam(request.query) ?? 'default' }) };
    } catch (err) {
      throw apiDetails(err);
    }
  });

  app.post('/api/v1/config/delete', { bodyLimit: BODY_LIMIT }, async (request): Promise<DeleteResponse> => {
    const refs = refsOf(objectsOf(request.body), namespaceParam(request.query) ?? 'default');
    try {
      return { results: await store.deleteAll(refs) };
    } catch (err) {
      throw apiDetails(err);
    }
  });

  app.get<{ Params: { kind: string } }>('/api/v1/config/:kind', async (request): Promise<ConfigListResponse> => {
    const info = kindParam(request.params.kind);
    return { items: store.list(info.kind, namespaceParam(request.query)) };
  });

  app.get<{ Params: ItemParams }>('/api/v1/config/:kind/:namespace/:name', async (request): Promise<IstioConfig> => {
    const { kind, namespace, name } = request.params;
    const info = kindParam(kind);
    const found = store.get(info.kind, namespace, name);
    if (found === undefined) throw notFound(`${info.kind} ${namespace}/${name} not found`);
    return found;
  });

  app.delete<{ Params: ItemParams }>('/api/v1/config/:kind/:namespace/:name', async (request): Promise<DeleteResponse> => {
    const { kind, namespace, name } = request.params;
    const info = kindParam(kind);
    const results = await store.deleteAll([{ kind: info.kind, namespace, name }]);
    if (results.every((r) => r.action === 'not found')) throw notFound(`${info.kind} ${namespace}/${name} not found`);
    return { results };
  });
}
