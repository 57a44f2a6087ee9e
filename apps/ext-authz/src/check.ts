/**
 * The decision and the answers of Istio's samples/extauthz server (cmd/extauthz/main.go), shared by
 * its HTTP and gRPC check APIs. Pure: headers and principal in, verdict out.
 */
export const CHECK_HEADER = 'x-ext-authz';
export const ALLOWED_VALUE = 'allow';
export const RESULT_HEADER = 'x-ext-authz-check-result';
export const RECEIVED_HEADER = 'x-ext-authz-check-received';
export const OVERRIDE_HEADER = 'x-ext-authz-additional-header-override';
/** What the gRPC server sets OVERRIDE_HEADER to (the HTTP server echoes the check request's value). */
export const OVERRIDE_GRPC_VALUE = 'grpc-additional-header-override-value';
export const RESULT_ALLOWED = 'allowed';
export const RESULT_DENIED = 'denied';
/** The body of a denied check, byte for byte as the Go server writes it. */
export const DENY_BODY = `denied by ext_authz for not found header \`${CHECK_HEADER}: ${ALLOWED_VALUE}\` in the request`;
/** Envoy accepts at most 60 KiB of headers: a longer dump is replaced (main.go returnIfNotTooLong). */
export const MAX_RECEIVED_LENGTH = 60000;

export type Verdict = typeof RESULT_ALLOWED | typeof RESULT_DENIED;

/**
 * The gRPC rule: the request's `x-ext-authz` header decides when present (allowed only for `allow`);
 * without it, a source principal ending in `/sa/<allowServiceAccount>` is allowed.
 */
export function grpcVerdict(headers: Readonly<Record<string, string>>, principal: string | undefined, allowServiceAccount: string): Verdict {
  const value = headers[CHECK_HEADER];
  if (value !== undefined) return value === ALLOWED_VALUE ? RESULT_ALLOWED : RESULT_DENIED;
  return principal !== undefined && principal.endsWith(`/sa/${allowServiceAccount}`) ? RESULT_ALLOWED : RESULT_DENIED;
}

/** The HTTP rule: only the header counts (the Go server's ServeHTTP does not look at the peer). */
export function httpVerdict(checkHeaderValue: string | undefined): Verdict {
  return checkHeaderValue === ALLOWED_VALUE ? RESULT_ALLOWED : RESULT_DENIED;
}

export function returnIfNotTooLong(text: string): string {
  return text.length > MAX_RECEIVED_LENGTH ? '<too-long>' : text;
}
