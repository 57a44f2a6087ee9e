import * as grpc from '@grpc/grpc-js';
import { isTrellisError } from '@trellis/shared';
import { CaErrorCode } from '../errors';

const STATUS_BY_CODE: Readonly<Record<string, grpc.status>> = {
  [CaErrorCode.unauthenticated]: grpc.status.UNAUTHENTICATED,
  [CaErrorCode.csrInvalid]: grpc.status.INVALID_ARGUMENT,
  [CaErrorCode.ttlTooLong]: grpc.status.INVALID_ARGUMENT,
  [CaErrorCode.badSpiffeId]: grpc.status.INVALID_ARGUMENT,
  [CaErrorCode.identityMismatch]: grpc.status.PERMISSION_DENIED,
  // The authenticator could not reach the Kubernetes API (TokenReview).
  KUBE_API_ERROR: grpc.status.UNAVAILABLE,
};

/**
 * The one place CA errors become gRPC statuses. The details say what was wrong (`CA_CSR_INVALID:
 * CSR signature does not verify…`) with the error's context; unknown errors are INTERNAL.
 */
export function toGrpcError(err: unknown): Partial<grpc.StatusObject> {
  if (!isTrellisError(err)) return { code: grpc.status.INTERNAL, details: 'CA internal error' };
  const context = Object.keys(err.context).length > 0 ? ` ${JSON.stringify(err.context)}` : '';
  return { code: STATUS_BY_CODE[err.code] ?? grpc.status.INTERNAL, details: `${err.code}: ${err.message}${context}` };
}
