/**
 * The one place failures become HTTP responses: Kiali's `{error, detail}` bodies (the UI shows
 * `response.data.error`), with the status the error's stable code maps to.
 */
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { isTrellisError, type TrellisError } from '@trellis/shared';

export interface KialiErrorBody {
  error: string;
  detail: string;
}

const STATUS: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  OBJECT_INVALID: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  VALIDATION_FAILED: 422,
  UNSUPPORTED_MEDIA_TYPE: 415,
  CONTROL_PLANE_UNAVAILABLE: 503,
  UI_MISSING: 503,
};

export function statusOf(err: TrellisError): number {
  return STATUS[err.code] ?? 500;
}

/** The facts in the context a reader needs (field, resource, upstream message), one line. */
export function detailOf(err: TrellisError): string {
  const parts = Object.entries(err.context)
    .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
    .map(([k, v]) => `${k}: ${String(v)}`);
  return [err.code, ...parts].join('; ');
}

function send(reply: FastifyReply, status: number, body: KialiErrorBody): FastifyReply {
  return reply.code(status).header('content-type', 'application/json; charset=utf-8').send(body);
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => send(reply, 404, { error: `${req.method} ${req.url.split('?')[0] ?? ''} not found`, detail: 'NOT_FOUND' }));
  app.setErrorHandler((err: FastifyError | TrellisError, req, reply) => {
    if (isTrellisError(err)) {
      const status = statusOf(err);
      if (status >= 500) req.log.error({ code: err.code, context: err.context }, 'request failed');
      else req.log.debug({ code: err.code, context: err.context }, 'request rejected');
      return send(reply, status, { error: err.message, detail: detailOf(err) });
    }
    const status = err.statusCode !== undefined && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ err }, 'request failed');
    return send(reply, status, { error: status === 500 ? 'Internal Server Error' : err.message, detail: err.code ?? 'INTERNAL' });
  });
}
