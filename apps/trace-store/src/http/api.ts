/** Zipkin's v2 query API under `/api/v2`, plus `/health`, `/prometheus` and `/metrics`. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TrellisError } from '@trellis/shared';
import { traceIdFromPath } from '../model/ids';
import { dependencyLinks } from '../store/dependencies';
import { parseQuery, type QueryParams } from '../store/query';
import type { TraceStore } from '../store/store';
import type { CollectorMetrics } from './metrics';

export interface ApiDeps {
  readonly store: TraceStore;
  readonly metrics: CollectorMetrics;
  readonly defaultLookbackMs: number;
  readonly now: () => number;
}

type Req = FastifyRequest<{ Querystring: QueryParams; Params: { traceId: string } }>;

function json(reply: FastifyReply, value: unknown): FastifyReply {
  return reply.header('content-type', 'application/json').send(JSON.stringify(value));
}

function requiredParam(params: QueryParams, name: string): string {
  const value = params[name];
  if (value === undefined || value.trim() === '') throw new TrellisError('QUERY_INVALID', `${name} is required`, { parameter: name });
  return value.trim();
}

function traceIds(raw: string): string[] {
  const ids = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const normalized = ids.map(traceIdFromPath);
  const bad = ids.find((_, i) => normalized[i] === undefined);
  if (bad !== undefined || ids.length === 0) throw new TrellisError('QUERY_INVALID', 'traceIds should be a comma-separated list of 16 or 32 lower-hex trace ids', { value: bad ?? raw });
  return [...new Set(normalized as string[])];
}

function registerQueries(app: FastifyInstance, deps: ApiDeps): void {
  const { store } = deps;
  app.get('/api/v2/services', (_req, reply) => json(reply, store.serviceNames()));
  app.get('/api/v2/spans', (req: Req, reply) => json(reply, store.spanNamesOf(requiredParam(req.query, 'serviceName'))));
  app.get('/api/v2/remoteServices', (req: Req, reply) => json(reply, store.remoteServicesOf(requiredParam(req.query, 'serviceName'))));
  app.get('/api/v2/traces', (req: Req, reply) => json(reply, store.query(parseQuery(req.query, deps.now(), deps.defaultLookbackMs))));
  app.get('/api/v2/trace/:traceId', (req: Req, reply) => {
    const id = traceIdFromPath(req.params.traceId);
    const spans = id === undefined ? undefined : store.trace(id);
    if (spans === undefined) throw new TrellisError('TRACE_NOT_FOUND', `${req.params.traceId} not found`, { traceId: req.params.traceId });
    return json(reply, spans);
  });
  app.get('/api/v2/traceMany', (req: Req, reply) => {
    const found = traceIds(requiredParam(req.query, 'traceIds')).map((id) => store.trace(id));
    return json(reply, found.filter((t) => t !== undefined));
  });
  app.get('/api/v2/dependencies', (req: Req, reply) => {
    const endTs = Number(requiredParam(req.query, 'endTs'));
    const lookback = req.query['lookback'] !== undefined ? Number(req.query['lookback']) : deps.defaultLookbackMs;
    if (!Number.isInteger(endTs) || endTs <= 0 || !Number.isInteger(lookback) || lookback <= 0) {
      throw new TrellisError('QUERY_INVALID', 'endTs and lookback should be positive integers (epoch milliseconds)', { endTs, lookback });
    }
    return json(reply, dependencyLinks(store.tracesBetween((endTs - lookback) * 1000, endTs * 1000)));
  });
  app.get('/api/v2/autocompleteKeys', (_req, reply) => json(reply, []));
  app.get('/api/v2/autocompleteValues', (_req, reply) => json(reply, []));
}

export function registerApi(app: FastifyInstance, deps: ApiDeps): void {
  registerQueries(app, deps);
  app.get('/health', (_req, reply) => {
    const details = { InMemoryStorage: { status: 'UP', details: deps.store.stats() } };
    return json(reply, { status: 'UP', zipkin: { status: 'UP', details } });
  });
  for (const path of ['/prometheus', '/metrics']) {
    app.get(path, async (_req, reply) => {
      const text = await deps.metrics.registry.metrics();
      return reply.header('content-type', deps.metrics.registry.contentType).send(text);
    });
  }
}
