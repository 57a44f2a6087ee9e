/** The UI under `/zipkin/` (Zipkin's UI path): search + list, and `/zipkin/traces/{id}`. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorMessage } from '@trellis/shared';
import { traceIdFromPath } from '../model/ids';
import { parseQuery, type QueryParams } from '../store/query';
import type { TraceStore } from '../store/store';
import { renderListPage, type SearchForm } from './list-page';
import { renderNotFound, renderTracePage } from './trace-page';

export interface UiDeps {
  readonly store: TraceStore;
  readonly defaultLookbackMs: number;
  readonly now: () => number;
}

function html(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).header('content-type', 'text/html; charset=utf-8').send(text);
}

function formOf(q: QueryParams, defaultLookbackMs: number): SearchForm {
  return {
    serviceName: q['serviceName'] ?? '',
    spanName: q['spanName'] ?? '',
    minDuration: q['minDuration'] ?? '',
    limit: q['limit'] ?? '10',
    lookback: q['lookback'] ?? String(defaultLookbackMs),
  };
}

function listPage(deps: UiDeps, req: FastifyRequest<{ Querystring: QueryParams }>, reply: FastifyReply): FastifyReply {
  const form = formOf(req.query, deps.defaultLookbackMs);
  const base = { form, services: deps.store.serviceNames(), spanNames: form.serviceName ? deps.store.spanNamesOf(form.serviceName) : [] };
  try {
    const traces = deps.store.query(parseQuery({ ...form, limit: form.limit || '10' }, deps.now(), deps.defaultLookbackMs));
    return html(reply, 200, renderListPage({ ...base, traces }));
  } catch (err) {
    return html(reply, 400, renderListPage({ ...base, traces: [], error: errorMessage(err) }));
  }
}

export function registerUi(app: FastifyInstance, deps: UiDeps): void {
  app.get('/', (_req, reply) => reply.redirect('/zipkin/'));
  app.get('/zipkin', (_req, reply) => reply.redirect('/zipkin/'));
  app.get('/zipkin/', (req: FastifyRequest<{ Querystring: QueryParams }>, reply) => listPage(deps, req, reply));
  app.get('/zipkin/traces/:traceId', (req: FastifyRequest<{ Params: { traceId: string } }>, reply) => {
    const id = traceIdFromPath(req.params.traceId);
    const spans = id === undefined ? undefined : deps.store.trace(id);
    return spans === undefined ? html(reply, 404, renderNotFound(req.params.traceId)) : html(reply, 200, renderTracePage(spans));
  });
}
