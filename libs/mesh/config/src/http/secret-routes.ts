import type { FastifyInstance } from 'fastify';
import { isSecretManifest, type KubeSecret } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import type { MemorySecretStore } from '../secrets/secret-store';
import { notFound } from './http-errors';
import { namespaceParam } from './request-bodies';

/** A request's objects split into core/v1 Secrets and the rest (Istio config). */
export function splitSecrets(objects: readonly unknown[]): { secrets: unknown[]; config: unknown[] } {
  return { secrets: objects.filter(isSecretManifest), config: objects.filter((o) => !isSecretManifest(o)) };
}

/** Secrets sent where no secret store is kept (Kubernetes mode: the cluster has them). */
export function secretsUnsupported(): TrellisError {
  return new TrellisError('VALIDATION_FAILED', 'Secrets are not stored by this control plane', {
    details: [{ kind: 'Secret', namespace: '', name: '', path: 'kind', message: 'Secrets are read from the cluster: kubectl create secret' }],
  });
}

/** `GET /api/v1/secrets?namespace=` and `GET /api/v1/secrets/:namespace/:name`: redacted, always. */
export function registerSecretRoutes(app: FastifyInstance, store: MemorySecretStore): void {
  app.get('/api/v1/secrets', async (request): Promise<{ items: KubeSecret[] }> => ({ items: store.list(namespaceParam(request.query)) }));
  app.get<{ Params: { namespace: string; name: string } }>('/api/v1/secrets/:namespace/:name', async (request): Promise<KubeSecret> => {
    const found = store.get(request.params.namespace, request.params.name);
    if (found === undefined) throw notFound(`Secret ${request.params.namespace}/${request.params.name} not found`);
    return found;
  });
}
