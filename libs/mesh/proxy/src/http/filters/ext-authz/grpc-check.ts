import type { Exchange } from '../../exchange';
import type { CompiledExtAuthz } from './config';
import { type CheckResult, checkError } from './check-result';
import { encodeCheckRequest } from './check-request-wire';
import { decodeCheckResponse } from './check-response-read';
import type { SideRequest, SideResponse } from '../../../upstream/side-call';

/**
 * The gRPC authorizer (`grpc_service.envoy_grpc`): a unary `envoy.service.auth.v3.Authorization/Check`
 * over the cluster's HTTP/2 pool, with `grpc-timeout`; a gRPC status other than OK, or no answer,
 * is an error (failure_mode_allow decides), the CheckResponse itself allows or denies.
 */

export const CHECK_PATH = '/envoy.service.auth.v3.Authorization/Check';

/** A gRPC length-prefixed message (uncompressed). */
function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(message.length, 1);
  return Buffer.concat([head, message]);
}

export function grpcCheckRequest(ex: Exchange, c: CompiledExtAuthz): SideRequest {
  const body = frame(encodeCheckRequest(ex, c.allowedHeaders));
  const headers = {
    host: c.authority,
    'content-type': 'application/grpc',
    te: 'trailers',
    'grpc-timeout': `${c.timeoutMs}m`,
    'content-length': String(body.length),
  };
  return { cluster: c.cluster, method: 'POST', path: CHECK_PATH, headers, body, timeoutMs: c.timeoutMs };
}

export function grpcCheckResult(res: SideResponse | undefined, failure: string | undefined): CheckResult {
  if (res === undefined) return checkError(failure ?? 'no response');
  if (res.status !== 200) return checkError(`authorization server answered HTTP ${res.status}`);
  const grpcStatus = res.trailers['grpc-status'] ?? res.headers['grpc-status'];
  if (grpcStatus !== '0') return checkError(`Check failed with grpc-status ${String(grpcStatus)}`);
  const body = res.body;
  if (body.length < 5 || body[0] !== 0) return checkError('Check answered without an uncompressed message');
  const len = body.readUInt32BE(1);
  if (body.length < 5 + len) return checkError('Check answered a truncated message');
  return decodeCheckResponse(body.subarray(5, 5 + len));
}
