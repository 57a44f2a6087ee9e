import { TrellisError, type ErrorContext } from '@trellis/shared';

/**
 * Stable error codes of the CA. The gRPC service maps them to status codes in one place
 * (`server/grpc-status.ts`); tests and clients match on the code, never on the message.
 */
export const CaErrorCode = {
  /** The CSR is not PEM/DER, not a PKCS#10 request, or its signature does not verify (INVALID_ARGUMENT). */
  csrInvalid: 'CA_CSR_INVALID',
  /** The CSR asks for an identity the caller does not own (PERMISSION_DENIED). */
  identityMismatch: 'CA_IDENTITY_MISMATCH',
  /** The requested lifetime is above the maximum (INVALID_ARGUMENT), as Istio's TTLError. */
  ttlTooLong: 'CA_TTL_TOO_LONG',
  /** No credential, or a credential no authenticator accepts (UNAUTHENTICATED). */
  unauthenticated: 'CA_UNAUTHENTICATED',
  /** A SPIFFE ID that is not `spiffe://<td>/ns/<ns>/sa/<sa>`. */
  badSpiffeId: 'CA_BAD_SPIFFE_ID',
  /** Plugged-in or stored CA material is unusable; `context.file` names the file. */
  materialInvalid: 'CA_MATERIAL_INVALID',
  /** A key type or signature algorithm the CA does not handle. */
  unsupportedAlgorithm: 'CA_UNSUPPORTED_ALGORITHM',
  /** The CA server could not bind its port. */
  bindFailed: 'CA_BIND_FAILED',
} as const;

export type CaErrorCode = (typeof CaErrorCode)[keyof typeof CaErrorCode];

export function caError(code: CaErrorCode, message: string, context: ErrorContext = {}, cause?: unknown): TrellisError {
  return new TrellisError(code, message, context, cause === undefined ? undefined : { cause });
}
