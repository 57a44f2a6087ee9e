import { allBytesOf, messageField, numberOf, readFields, stringField, stringOf, varintField } from '../ext-authz/proto-wire';
import type { DescriptorEntry } from './descriptors';

/**
 * envoy.service.ratelimit.v3 by hand (the proxy loads no protobuf library):
 *   RateLimitRequest: 1 domain · 2 descriptors (RateLimitDescriptor: 1 entries {1 key, 2 value}) · 3 hits_addend
 *   RateLimitResponse: 1 overall_code (0 UNKNOWN, 1 OK, 2 OVER_LIMIT) · 2 statuses · 3 response_headers_to_add
 *   (HeaderValue {1 key, 2 value}) · 4 request_headers_to_add
 */
export const SHOULD_RATE_LIMIT_PATH = '/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit';

export type RlsCode = 'UNKNOWN' | 'OK' | 'OVER_LIMIT';

export interface RlsResponse {
  readonly code: RlsCode;
  readonly responseHeaders: readonly (readonly [string, string])[];
  readonly requestHeaders: readonly (readonly [string, string])[];
}

export function encodeRateLimitRequest(domain: string, descriptors: readonly (readonly DescriptorEntry[])[], hits = 1): Buffer {
  const parts = [stringField(1, domain)];
  for (const d of descriptors) parts.push(messageField(2, d.map((e) => messageField(1, [stringField(1, e.key), stringField(2, e.value)]))));
  parts.push(varintField(3, hits));
  return Buffer.concat(parts);
}

const CODES: readonly RlsCode[] = ['UNKNOWN', 'OK', 'OVER_LIMIT'];

function headerValues(payloads: readonly Buffer[]): [string, string][] {
  return payloads.map((p) => {
    const f = readFields(p);
    return [stringOf(f, 1).toLowerCase(), stringOf(f, 2)];
  });
}

/** Throws RangeError on a malformed message. */
export function decodeRateLimitResponse(buf: Buffer): RlsResponse {
  const f = readFields(buf);
  return {
    code: CODES[numberOf(f, 1)] ?? 'UNKNOWN',
    responseHeaders: headerValues(allBytesOf(f, 3)),
    requestHeaders: headerValues(allBytesOf(f, 4)),
  };
}

/** For tests and the rate limit service: a response as the proto writes it. */
export function encodeRateLimitResponse(code: RlsCode, responseHeaders: readonly (readonly [string, string])[] = []): Buffer {
  return Buffer.concat([varintField(1, CODES.indexOf(code)), ...responseHeaders.map(([k, v]) => messageField(3, [stringField(1, k), stringField(2, v)]))]);
}
