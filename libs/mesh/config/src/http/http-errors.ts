import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { isTrellisError, TrellisError, type Logger } from '@trellis/shared';

/** The one error body shape of the control-plane API. */
export interface ErrorBody {
  error: { code: string; message: string; details: unknown[] };
}

const STATUS: Readonly<Record<string, number>> = {
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  VALIDATION_FAILED: 422,
};

export const badRequest = (message: string, details: unknown[] = []): TrellisError => new TrellisError('BAD_REQUEST', message, { details });
export const notFound = (message: string): TrellisError => new TrellisError('NOT_FOUND', message, { details: [] });

function clientErrorCode(status: number): string {
  if (status === 413) return 'PAYLOAD_TOO_LARGE';
  if (status === 415) return 'UNSUPPORTED_MEDIA_TYPE';
  if (status === 404) return 'NOT_FOUND';
  return 'BAD_REQUEST';
}

/** Map any thrown value to an HTTP status and body. */
export function toHttpError(err: unknown): { status: number; body: ErrorBody } {
  if (isTrellisError(err)) {
    const details = Array.isArray(err.context['details']) ? (err.context['details'] as unknown[]) : [];
    return { status: STATUS[err.code] ?? 500, body: { error: { code: err.code, message: err.message, details } } };
  }
  const status = (err as FastifyError | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = clientErrorCode(status);
    return { status, body: { error: { code, message: (err as Error).message, details: [] } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal error', details: [] } } };
}

/** Fastify error handler: the single place where errors become HTTP responses. */
export function errorHandler(logger: Logger) {
  return (err: unknown, request: FastifyRequest, reply: FastifyReply): void => {
    const { status, body } = toHttpError(err);
    if (status >= 500) logger.error({ err, method: request.method, url: request.url }, 'request failed');
    else logger.debug({ code: body.error.code, method: request.method, url: request.url }, 'request rejected');
    void reply.status(status).send(body);
  };
}
