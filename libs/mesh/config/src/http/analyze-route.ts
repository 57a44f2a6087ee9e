import type { FastifyInstance } from 'fastify';
import { analyzeOverlay, type AnalysisMessage, type MeshConfig } from '@trellis/mesh-api';
import { analyzeGatewayApi } from '@trellis/mesh-gateway-api';
import type { ConfigStore } from '../store/config-store';
import type { ServiceRegistry } from '../registry/service-registry';
import { badRequest } from './http-errors';
import { objectsOf } from './request-bodies';
import type { AnalyzeResponse } from './api-types';
import { BODY_LIMIT } from './config-routes';

function namespaceOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const ns = (body as Record<string, unknown>)['namespace'];
  if (ns === undefined) return undefined;
  if (typeof ns !== 'string' || ns === '') throw badRequest('"namespace" must be a string', [{ path: 'namespace', message: 'must be a string' }]);
  return ns;
}

/** Stored config overlaid with the submitted objects, analyzed against the registry. */
export function analyzeRequest(store: ConfigStore, registry: ServiceRegistry, body: unknown, meshConfig?: () => MeshConfig | undefined): AnalysisMessage[] {
  const mesh = meshConfig?.();
  return analyzeOverlay({ stored: store.list(), submitted: objectsOf(body, false), namespace: namespaceOf(body), services: registry.services(), analyzers: [analyzeGatewayApi], ...(mesh !== undefined && { meshConfig: mesh }) });
}

/** POST /api/v1/analyze */
export function registerAnalyzeRoute(app: FastifyInstance, store: ConfigStore, registry: ServiceRegistry, meshConfig?: () => MeshConfig | undefined): void {
  app.post('/api/v1/analyze', { bodyLimit: BODY_LIMIT }, async (request): Promise<AnalyzeResponse> => ({
    messages: analyzeRequest(store, registry, request.body, meshConfig).map(({ level, code, origin, message }) => ({ level, code, origin, message })),
  }));
}
