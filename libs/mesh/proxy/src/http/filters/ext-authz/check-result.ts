/**
 * What an authorizer answered, whichever transport asked it (Envoy's Filters::Common::ExtAuthz::Response):
 * ok (with header edits for the upstream request and the downstream response), denied (the reply the
 * client gets) or error (unreachable, timed out, 5xx, malformed: `failure_mode_allow` decides).
 */

/** A header the authorizer wants set; `append` adds a value instead of replacing it. */
export interface HeaderSet {
  readonly name: string;
  readonly value: string;
  readonly append: boolean;
}

export interface CheckOk {
  readonly kind: 'ok';
  /** Set on the request before it goes upstream. */
  readonly upstream: readonly HeaderSet[];
  /** Removed from the request before it goes upstream. */
  readonly remove: readonly string[];
  /** Added to the downstream response (allowed_client_headers_on_success / response_headers_to_add). */
  readonly downstream: readonly HeaderSet[];
}

export interface CheckDenied {
  readonly kind: 'denied';
  readonly status: number;
  readonly headers: readonly HeaderSet[];
  readonly body: string;
}

export interface CheckError {
  readonly kind: 'error';
  /** For the debug log: what went wrong. */
  readonly reason: string;
}

export type CheckResult = CheckOk | CheckDenied | CheckError;

export const checkError = (reason: string): CheckError => ({ kind: 'error', reason });
