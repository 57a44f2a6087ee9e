import type { FastifyInstance } from 'fastify';
import {
  analyze,
  collectConfigs,
  configKey,
  schemaValidationMessages,
  validateConfig,
  type AnalysisMessage,
  type IstioConfig,
} from '@trellis/mesh-api';
import type { ConfigStore } from '../store/config-store';
import type { ServiceRegistry } from '../registry/service-registry';
import { badRequest } from './http-errors';
import { objectsOf } from './request-bodies';
import type { AnalyzeResponse } from './api-types';
import { BODY_LIMIT } from './config-routes';

const keyOf = (o: IstioConfig): string => configKey(o.kind, o.metadata.namespace ?? 'default', o.metadata.name);

function namespaceOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const ns = (body as Record<string, unknown>)['namespace'];
  if (ns === undefined) return undefined;
  if (typeof ns !== 'string' || ns === '') throw badRequest('"namespace" must be a string', [{ path: 'namespace', message: 'must be a string' }]);
  return ns;
}

/** Stored config overlaid with the submitted objects, analyzed against the registry. */
export function analyzeRequest(store: ConfigStore, registry: ServiceRegistry, body: unknown): AnalysisMessage[] {
  const namespace = namespaceOf(body);
  const { valid, errors } = validateConfig(objectsOf(body, false), { namespace: namespace ?? 'default' });
  const merged = new Map(store.list().map((o) => [keyOf(o), o] as const));
  for (const o of valid) merged.set(keyOf(o), o);
  const messages = [
    ...schemaValidationMessages(errors),
    ...analyze({ ...collectConfigs([...merged.values()]), services: registry.services() }),
  ];
  return namespace === undefined ? messages : messages.filter((m) => m.resource.namespace === namespace);
}

/** POST /api/v1/analyze */
export function registerAnalyzeRoute(app: FastifyInstance, store: ConfigStore, registry: ServiceRegistry): void {
  app.post('/api/v1/analyze', { bodyLimit: BODY_LIMIT }, async (request): Promise<AnalyzeResponse> => ({
    messages: analyzeRequest(store, registry, request.body).map(({ level, code, origin, message }) => ({ level, code, origin, message })),
  }));
}
