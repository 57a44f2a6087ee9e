import { grpcStatusFromHttp } from '@trellis/shared';
import { encodeHeaders } from './filter';
import { type HeaderEdits, type HeaderMap, applyEdits } from '../routing/header-mutation';
import { respondHeadersOnly } from '../codec/downstream';
import type { Exchange } from './exchange';

/** Stable codes for every response the proxy makes itself (Envoy's local replies). */
export type LocalReplyCode =
  | 'UPGRADE_REQUIRED'
  | 'MISSING_HOST'
  | 'NO_ROUTE'
  | 'NO_ROUTE_CONFIG'
  | 'NO_CLUSTER'
  | 'NO_HEALTHY_UPSTREAM'
  | 'CONNECT_FAILURE'
  | 'CONNECTION_TERMINATION'
  | 'OVERFLOW'
  | 'TIMEOUT'
  | 'FAULT_ABORT'
  | 'RATE_LIMITED'
  | 'RATE_LIMIT_SERVICE_ERROR'
  | 'DIRECT_RESPONSE'
  | 'REDIRECT'
  | 'EXT_AUTHZ_DENIED'
  | 'EXT_AUTHZ_ERROR'
  | 'RBAC_DENIED'
  | 'JWT_AUTHN_DENIED';

interface ReplySpec {
  readonly status: number;
  readonly body: string;
  readonly flag: string;
  readonly details: string;
}

const RESET = 'upstream connect error or disconnect/reset before headers. reset reason: ';

/**
 * The one place where failures become HTTP responses: status, plain body, response flag and
 * %RESPONSE_CODE_DETAILS%, as Envoy writes them.
 */
export const LOCAL_REPLIES: Readonly<Record<LocalReplyCode, ReplySpec>> = {
  // The HCM's own checks, before any filter runs (no response flag, as Envoy logs them).
  UPGRADE_REQUIRED: { status: 426, body: '', flag: '', details: 'low_version' },
  MISSING_HOST: { status: 400, body: '', flag: '', details: 'missing_host_header' },
  NO_ROUTE: { status: 404, body: '', flag: 'NR', details: 'route_not_found' },
  NO_ROUTE_CONFIG: { status: 503, body: '', flag: 'NR', details: 'route_configuration_not_found' },
  NO_CLUSTER: { status: 503, body: '', flag: 'NC', details: 'cluster_not_found' },
  NO_HEALTHY_UPSTREAM: { status: 503, body: 'no healthy upstream', flag: 'UH', details: 'no_healthy_upstream' },
  CONNECT_FAILURE: {
    status: 503,
    body: `${RESET}connection failure`,
    flag: 'UF',
    details: 'upstream_reset_before_response_started{connection_failure}',
  },
  CONNECTION_TERMINATION: {
    status: 503,
    body: `${RESET}connection termination`,
    flag: 'UC',
    details: 'upstream_reset_before_response_started{connection_termination}',
  },
  OVERFLOW: { status: 503, body: `${RESET}overflow`, flag: 'UO', details: 'upstream_reset_before_response_started{overflow}' },
  TIMEOUT: { status: 504, body: 'upstream request timeout', flag: 'UT', details: 'upstream_response_timeout' },
  FAULT_ABORT: { status: 503, body: 'fault filter abort', flag: 'FI', details: 'fault_filter_abort' },
  RATE_LIMITED: { status: 429, body: 'local_rate_limited', flag: 'RL', details: 'local_rate_limited' },
  // envoy.filters.http.ratelimit with failure_mode_deny when the rate limit service did not answer.
  RATE_LIMIT_SERVICE_ERROR: { status: 500, body: '', flag: 'RLSE', details: 'rate_limiter_error' },
  DIRECT_RESPONSE: { status: 200, body: '', flag: '', details: 'direct_response' },
  REDIRECT: { status: 301, body: '', flag: '', details: 'direct_response' },
  // ext_authz: the authorizer's status/body/headers on a denial; status_on_error when it cannot answer.
  EXT_AUTHZ_DENIED: { status: 403, body: '', flag: 'UAEX', details: 'ext_authz_denied' },
  EXT_AUTHZ_ERROR: { status: 403, body: '', flag: 'UAEX', details: 'ext_authz_error' },
  // rbac: details name the deciding policy (rbac_access_denied_matched_policy[<policy>|none]).
  RBAC_DENIED: { status: 403, body: 'RBAC: access denied', flag: 'RBAC', details: 'rbac_access_denied_matched_policy[none]' },
  // jwt_authn: no response flag; body and details carry jwt_verify_lib's status (jwt_authn_access_denied{Jwt_is_expired}).
  JWT_AUTHN_DENIED: { status: 401, body: '', flag: '', details: 'jwt_authn_access_denied' },
};

/** grpc-message is percent-encoded outside printable ASCII (and '%' itself), per the gRPC HTTP/2 spec. */
function grpcMessage(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    out += byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

const isGrpc = (ex: Exchange): boolean => String(ex.headers['content-type'] ?? '').startsWith('application/grpc');

/**
 * A gRPC request's local reply is a gRPC "trailers-only" response: HTTP 200, the status in
 * grpc-status (the given one, else mapped from the HTTP status as Envoy does).
 */
function sendGrpcLocalReply(ex: Exchange, status: number, body: string, grpcStatus: number | undefined): void {
  const headers = ex.localReplyHeaders('');
  headers['content-type'] = 'application/grpc';
  headers['grpc-status'] = String(grpcStatus ?? grpcStatusFromHttp(status));
  if (body !== '') headers['grpc-message'] = grpcMessage(body);
  encodeHeaders(ex, 200, headers);
  respondHeadersOnly(ex.res, 200, headers);
  ex.finish(200);
}

export interface LocalReplyOverrides {
  readonly status?: number;
  readonly body?: string;
  readonly location?: string;
  /** A gRPC status to answer gRPC requests with (the fault filter's grpc_status abort). */
  readonly grpcStatus?: number;
  /** Response header edits of the filter that answers (local_ratelimit's response_headers_to_add). */
  readonly responseEdits?: HeaderEdits;
  /** %RESPONSE_CODE_DETAILS% other than the reply's own (a connect failure with its transport reason). */
  readonly details?: string;
}

/** A connection failure with a transport failure reason (a TLS handshake), worded as Envoy does. */
export function transportFailureReply(reason: string): LocalReplyOverrides {
  return {
    body: `${RESET}connection failure, transport failure reason: ${reason}`,
    details: `upstream_reset_before_response_started{connection_failure,${reason.replace(/ /g, '_')}}`,
  };
}

/** Write a local reply (if the response has not started) and finish the exchange. */
export function sendLocalReply(ex: Exchange, code: LocalReplyCode, o?: LocalReplyOverrides): void {
  const spec = LOCAL_REPLIES[code];
  if (spec.flag !== '') ex.addFlag(spec.flag);
  ex.details = o?.details ?? spec.details;
  if (ex.res.headersSent) {
    ex.res.destroy();
    ex.finish(ex.status || spec.status);
    return;
  }
  const status = o?.status ?? spec.status;
  const body = o?.body ?? spec.body;
  if ((status >= 400 || o?.grpcStatus !== undefined) && isGrpc(ex)) return sendGrpcLocalReply(ex, status, body, o?.grpcStatus);
  const headers = ex.localReplyHeaders(body);
  if (code === 'OVERFLOW') headers['x-envoy-overloaded'] = 'true';
  if (o?.location !== undefined) headers['location'] = o.location;
  if (code === 'DIRECT_RESPONSE' || code === 'REDIRECT') ex.applyResponseEdits(headers);
  if (o?.responseEdits !== undefined) applyEdits(o.responseEdits, headers as HeaderMap);
  encodeHeaders(ex, status, headers);
  ex.res.writeHead(status, headers);
  ex.res.end(body);
  ex.finish(status);
}
