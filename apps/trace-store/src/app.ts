/** The trace store's HTTP server: collectors, the Zipkin v2 query API, health and metrics, and the UI. */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from '@trellis/shared';
import { registerApi } from './http/api';
import { registerCollectors } from './http/collector';
import { installErrorHandling } from './http/errors';
import { createMetrics, type CollectorMetrics } from './http/metrics';
import { TraceStore } from './store/store';
import { registerUi } from './ui/routes';

export interface TraceStoreAppOptions {
  readonly logger: Logger;
  readonly maxSpans: number;
  readonly defaultLookbackMs?: number;
  /** Epoch milliseconds (tests pin it). */
  readonly now?: () => number;
}

export interface TraceStoreApp {
  readonly app: FastifyInstance;
  readonly store: TraceStore;
  readonly metrics: CollectorMetrics;
}

/** Span POSTs are read raw (the collector decodes, and inflates gzip itself), up to this size on the wire. */
const BODY_LIMIT = 16 * 1024 * 1024;

export function buildApp(options: TraceStoreAppOptions): TraceStoreApp {
  const app = Fastify({ loggerInstance: options.logger as FastifyBaseLogger, exposeHeadRoutes: true, bodyLimit: BODY_LIMIT });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  installErrorHandling(app);
  const store = new TraceStore(options.maxSpans);
  const metrics = createMetrics(store);
  const deps = { store, metrics, defaultLookbackMs: options.defaultLookbackMs ?? 86_400_000, now: options.now ?? Date.now };
  registerCollectors(app, deps);
  registerApi(app, deps);
  registerUi(app, deps);
  return { app, store, metrics };
}
