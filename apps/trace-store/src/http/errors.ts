/** The one place failures become HTTP responses: plain-text messages as Zipkin sends, OTLP's Status JSON on /v1/traces. */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTrellisError, type TrellisError } from '@trellis/shared';

const STATUS: Readonly<Record<string, number>> = {
  SPAN_INVALID: 400,
  QUERY_INVALID: 400,
  TRACE_NOT_FOUND: 404,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNSUPPORTED_ENCODING: 415,
};

/** The message with the facts a sender needs to find the bad span (index, field, value). */
export function describe(err: TrellisError): string {
  const { index, value } = err.context;
  const where = typeof index === 'number' ? `span ${index}: ` : '';
  const got = typeof value === 'string' ? ` (got "${value.slice(0, 64)}")` : '';
  return `${where}${err.message}${got}`;
}

function send(req: FastifyRequest, reply: FastifyReply, status: number, message: string): FastifyReply {
  if (req.url.startsWith('/v1/')) {
    const grpcCode = status === 415 || status === 400 ? 3 : status === 404 ? 5 : 13;
    return reply.code(status).header('content-type', 'application/json').send(JSON.stringify({ code: grpcCode, message }));
  }
  return reply.code(status).header('content-type', 'text/plain; charset=utf-8').send(message + '\n');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => send(req, reply, 404, `${req.method} ${req.url.split('?')[0] ?? ''} not found`));
  app.setErrorHandler((err: FastifyError | TrellisError, req, reply) => {
    if (isTrellisError(err)) {
      const status = STATUS[err.code] ?? 500;
      if (status === 500) req.log.error({ code: err.code, context: err.context }, 'request failed');
      else req.log.debug({ code: err.code, context: err.context }, 'request rejected');
      return send(req, reply, status, describe(err));
    }
    const status = err.statusCode !== undefined && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ code: err.code, message: err.message }, 'request failed');
    return send(req, reply, status, status === 500 ? 'Internal Server Error' : err.message);
  });
}
