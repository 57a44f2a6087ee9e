import type { Exchange } from './exchange';

/**
 * x-forwarded-proto after Envoy's `ConnectionManagerUtility::mutateRequestHeaders`: an edge HCM
 * (`use_remote_address`, no trusted hops) overwrites whatever the client sent with the scheme of the
 * downstream connection; otherwise a value sent by the previous hop is kept, and a missing one is
 * set from the connection. The connection is TLS when its chain terminated TLS (`target.pinned`).
 */
export function forwardedProto(ex: Exchange): string {
  const own = ex.target.pinned === true ? 'https' : 'http';
  if (ex.target.hcm.useRemoteAddress) return own;
  const sent = ex.headers['x-forwarded-proto'];
  return typeof sent === 'string' && sent !== '' ? sent : own;
}

/**
 * Envoy's internal request: only an edge HCM decides it (`allow_trusted_address_checks`: it uses the
 * remote address and the request came without x-forwarded-for), from the downstream address
 * (`internal_address_config`'s default: RFC 1918, loopback, IPv6 unique-local); a client-supplied
 * `x-envoy-internal` is never trusted.
 */
export function isInternalRequest(ex: Exchange): boolean {
  return ex.target.hcm.useRemoteAddress && ex.headers['x-forwarded-for'] === undefined && isInternalAddress(ex.remoteAddress);
}

export function isInternalAddress(address: string): boolean {
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (a === '::1') return true;
  if (a.includes(':')) return /^f[cd][0-9a-f]{2}:/i.test(a);
  const [o1, o2] = a.split('.').map(Number) as [number, number];
  return o1 === 10 || o1 === 127 || (o1 === 172 && o2 >= 16 && o2 <= 31) || (o1 === 192 && o2 === 168);
}
