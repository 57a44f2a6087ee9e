import { downstreamTlsOf, peerPrincipal } from '../../../tls/peer-identity';
import { forwardedProto } from '../../forwarded-proto';
import type { Exchange } from '../../exchange';
import type { NameTest } from './config';
import { lenField, messageField, stringField, varintField } from './proto-wire';

/**
 * envoy.service.auth.v3.CheckRequest for one exchange, written by hand (field numbers from
 * envoy/service/auth/v3/{external_auth,attribute_context}.proto): source and destination peers
 * (address, SPIFFE principal when the connection is mTLS), the request time, and `request.http` with
 * id (x-request-id), method, headers (pseudo-headers too, as Envoy's header map holds them), path,
 * host, scheme, size and protocol.
 */

const plainAddress = (a: string | undefined): string => (a?.startsWith('::ffff:') ? a.slice(7) : (a ?? ''));

/** AttributeContext.Peer { address: Address { socket_address { address, port_value } }, principal }. */
function peer(address: string | undefined, port: number | undefined, principal: string | undefined): Buffer {
  const socket = messageField(1, [stringField(2, plainAddress(address)), varintField(3, port ?? 0)]);
  return Buffer.concat([lenField(1, socket), stringField(4, principal)]);
}

/** The client's headers as Envoy's map holds them: pseudo-headers first, multiple values joined with ','. */
export function checkHeaders(ex: Exchange, allowed: NameTest | undefined): [string, string][] {
  const all: [string, string][] = [
    [':authority', ex.authority],
    [':method', ex.method],
    [':path', ex.path],
    [':scheme', forwardedProto(ex)],
  ];
  for (const name in ex.headers) {
    const v = ex.headers[name];
    if (v === undefined || name.charCodeAt(0) === 58 || name === 'host') continue;
    all.push([name, Array.isArray(v) ? v.join(',') : v]);
  }
  return allowed === undefined ? all : all.filter(([name]) => allowed(name));
}

function httpRequest(ex: Exchange, allowed: NameTest | undefined): Buffer {
  const headers = checkHeaders(ex, allowed).map(([k, v]) => messageField(3, [stringField(1, k), stringField(2, v)]));
  const size = Number(ex.headers['content-length'] ?? 0);
  return Buffer.concat([
    stringField(1, ex.requestId ?? (ex.headers['x-request-id'] as string | undefined)),
    stringField(2, ex.method),
    ...headers,
    stringField(4, ex.path),
    stringField(5, ex.authority),
    stringField(6, forwardedProto(ex)),
    varintField(9, Number.isSafeInteger(size) && size > 0 ? size : 0),
    stringField(10, ex.http2 ? 'HTTP/2' : `HTTP/${ex.req.httpVersion}`),
  ]);
}

export function encodeCheckRequest(ex: Exchange, allowed: NameTest | undefined): Buffer {
  const sock = ex.req.socket;
  const tls = downstreamTlsOf(sock);
  const nowMs = ex.ctx.runtime.clock.now();
  const time = messageField(1, [varintField(1, Math.floor(nowMs / 1000)), varintField(2, Math.round((nowMs % 1000) * 1e6))]);
  const request = messageField(4, [time, lenField(2, httpRequest(ex, allowed))]);
  const attributes = messageField(1, [
    lenField(1, peer(ex.remoteAddress, sock.remotePort, peerPrincipal(tls))),
    lenField(2, peer(sock.localAddress, sock.localPort, tls?.localUriSans[0])),
    request,
  ]);
  return attributes;
}
