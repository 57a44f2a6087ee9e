import { isTrellisError } from '@trellis/shared';
import { InjectErrorCode } from '../errors';

export interface HttpError {
  readonly status: number;
  readonly body: { readonly code: string; readonly message: string; readonly context?: Readonly<Record<string, unknown>> };
}

const STATUS: Readonly<Record<string, number>> = {
  [InjectErrorCode.admissionMalformed]: 400,
  [InjectErrorCode.notFound]: 404,
  [InjectErrorCode.methodNotAllowed]: 405,
  [InjectErrorCode.bodyTooLarge]: 413,
  [InjectErrorCode.unsupportedMediaType]: 415,
};

/** The webhook's one place turning errors into HTTP responses; unknown errors become an opaque 500. */
export function toHttpError(err: unknown): HttpError {
  const status = isTrellisError(err) ? STATUS[err.code] : undefined;
  if (isTrellisError(err) && status !== undefined) {
    return { status, body: { code: err.code, message: err.message, context: err.context } };
  }
  return { status: 500, body: { code: 'INTERNAL', message: 'internal error' } };
}
