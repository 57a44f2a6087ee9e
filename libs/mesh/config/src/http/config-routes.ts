import type { FastifyInstance } from 'fastify';
import type { IstioConfig, ValidationError } from '@trellis/mesh-api';
import { isTrellisError, TrellisError } from '@trellis/shared';
import type { ConfigStore } from '../store/config-store';
import type { MemorySecretStore } from '../secrets/secret-store';
import { secretsUnsupported, splitSecrets } from './secret-routes';
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

/**
 * /api/v1/config/… routes. core/v1 Secrets in an apply or delete go to the secret store (local mode),
 * validated before anything is written; their results follow the config's.
 */
export function registerConfigRoutes(app: FastifyInstance, store: ConfigStore, secrets?: MemorySecretStore): void {
  app.post('/api/v1/config/apply', { bodyLimit: BODY_LIMIT }, async (request): Promise<ApplyResponse> => {
    const split = splitSecrets(objectsOf(request.body));
    const namespace = namespaceParam(request.query) ?? 'default';
    try {
      if (split.secrets.length > 0 && secrets === undefined) throw secretsUnsupported();
      const valid = secrets?.validate(split.secrets, namespace) ?? [];
      const results = split.config.length > 0 ? await store.applyAll(split.config, { namespace }) : [];
      return { results: [...results, ...(valid.length > 0 && secrets !== undefined ? await secrets.apply(valid) : [])] };
    } catch (err) {
      throw apiDetails(err);
    }
  });

  app.post('/api/v1/config/delete', { bodyLimit: BODY_LIMIT }, async (request): Promise<DeleteResponse> => {
    const split = splitSecrets(objectsOf(request.body));
    const namespace = namespaceParam(request.query) ?? 'default';
    const refs = refsOf(split.config, namespace);
    const secretRefs = secretRefsOf(split.secrets, namespace);
    try {
      if (secretRefs.length > 0 && secrets === undefined) throw secretsUnsupported();
      const results = refs.length > 0 ? await store.deleteAll(refs) : [];
      return { results: [...results, ...(secrets !== undefined && secretRefs.length > 0 ? await secrets.delete(secretRefs) : [])] };
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

function secretRefsOf(objects: readonly unknown[], namespace: string): { namespace: string; name: string }[] {
  const refs = objects.map((o) => {
    const meta = ((o as { metadata?: { name?: unknown; namespace?: unknown } }).metadata ?? {});
    return { namespace: typeof meta.namespace === 'string' && meta.namespace !== '' ? meta.namespace : namespace, name: typeof meta.name === 'string' ? meta.name : '' };
  });
  const unnamed = refs.flatMap((r, index) => (r.name === '' ? [{ kind: 'Secret', namespace: r.namespace, name: '', path: 'metadata.name', message: 'required field is missing', index }] : []));
  if (unnamed.length > 0) throw new TrellisError('VALIDATION_FAILED', `${unnamed.length} invalid object reference(s)`, { details: unnamed });
  return refs;
}
