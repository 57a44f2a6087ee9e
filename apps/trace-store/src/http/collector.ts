/**
 * The collectors: `POST /api/v2/spans` (Zipkin JSON v2 → 202) and `POST /v1/traces` (OTLP/HTTP JSON → 200
 * `{}`). A message is stored whole or rejected whole; every outcome is counted.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { TrellisError } from '@trellis/shared';
import { decodeOtlpJson } from '../ingest/otlp-json';
import { decodeSpanList } from '../ingest/zipkin-json';
import type { Span } from '../model/span';
import type { TraceStore } from '../store/store';
import { arrayLength, bodyEncoding, bodyText } from './body';
import type { CollectorMetrics, Transport } from './metrics';

export interface CollectorDeps {
  readonly store: TraceStore;
  readonly metrics: CollectorMetrics;
}

const PROTOBUF_MESSAGE: Readonly<Record<Transport, string>> = {
  http: 'application/x-protobuf (PROTO3) spans are not accepted here: send Zipkin JSON v2 (Content-Type: application/json)',
  otlp_http: 'OTLP/HTTP protobuf is not accepted here: export OTLP/HTTP JSON (Content-Type: application/json, OTEL_EXPORTER_OTLP_PROTOCOL=http/json)',
};

function receive(deps: CollectorDeps, transport: Transport, req: FastifyRequest, decode: (text: string) => Span[]): number {
  const body = Buffer.isBuffer(req.body) ? req.body : undefined;
  deps.metrics.message(transport, body?.length ?? 0);
  const encoding = bodyEncoding(req.headers['content-type']);
  let text = '';
  try {
    if (encoding !== 'json') {
      const message = encoding === 'protobuf' ? PROTOBUF_MESSAGE[transport] : 'Content-Type should be application/json';
      throw new TrellisError('UNSUPPORTED_MEDIA_TYPE', message, { contentType: req.headers['content-type'] });
    }
    text = bodyText(body, req.headers['content-encoding']);
    const spans = decode(text);
    const { evicted } = deps.store.add(spans);
    deps.metrics.accepted(transport, spans.length, evicted);
    if (evicted > 0) req.log.debug({ evicted }, 'evicted oldest traces');
    return spans.length;
  } catch (err) {
    deps.metrics.dropped(transport, transport === 'http' ? arrayLength(text) : 0);
    throw err;
  }
}

export function registerCollectors(app: FastifyInstance, deps: CollectorDeps): void {
  app.post('/api/v2/spans', async (req: FastifyRequest, reply: FastifyReply) => {
    receive(deps, 'http', req, decodeSpanList);
    return reply.code(202).send();
  });
  app.post('/v1/traces', async (req: FastifyRequest, reply: FastifyReply) => {
    receive(deps, 'otlp_http', req, decodeOtlpJson);
    return reply.code(200).header('content-type', 'application/json').send('{}');
  });
}
