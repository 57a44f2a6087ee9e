import type { TLSSocket } from 'node:tls';
import type { RbacInput } from '@trellis/mesh-rbac';
import { capturedDestination } from '../../listener/capture-route';
import { type DownstreamTls, downstreamTlsOf, peerPrincipal, rfc2253Subject } from '../../tls/peer-identity';
import type { Exchange } from '../exchange';

/**
 * What the RBAC engine reads about one request, from its Exchange (Envoy's connection + headers +
 * stream info): the peer's principal from the terminated TLS (URI SAN, else subject), the direct peer
 * and the original client (x-forwarded-for's last hop unless the HCM uses the remote address, as
 * Envoy with xff_num_trusted_hops 0), the captured original destination when there is one, SNI,
 * headers with pseudo-headers, the path without query, and the filters' dynamic metadata.
 */

/** Envoy's remote address without use_remote_address: the last x-forwarded-for entry, else the peer. */
export function lastForwardedFor(xff: string | string[] | undefined, peer: string): string {
  const text = Array.isArray(xff) ? xff.join(',') : xff;
  if (text === undefined || text === '') return peer;
  const last = text.slice(text.lastIndexOf(',') + 1).trim();
  return last === '' ? peer : last;
}

export class ExchangeRbacInput implements RbacInput {
  readonly sourceIp: string;
  readonly remoteIp: string;
  readonly destinationIp: string;
  readonly destinationPort: number;
  readonly authenticated: boolean;
  readonly principal: string | undefined;
  readonly sni: string | undefined;
  readonly path: string;

  constructor(private readonly ex: Exchange) {
    const socket = ex.req.socket;
    const tls: DownstreamTls | undefined = downstreamTlsOf(socket);
    const dst = capturedDestination(socket);
    this.sourceIp = ex.remoteAddress;
    this.remoteIp = ex.target.hcm.useRemoteAddress ? ex.remoteAddress : lastForwardedFor(ex.headers['x-forwarded-for'], ex.remoteAddress);
    this.destinationIp = dst?.address ?? socket.localAddress ?? '';
    this.destinationPort = dst?.port ?? socket.localPort ?? 0;
    const cert = tls?.peerCertificate;
    this.authenticated = cert !== undefined;
    this.principal = cert === undefined ? undefined : (peerPrincipal(tls) ?? rfc2253Subject(cert));
    const servername = tls === undefined ? undefined : (socket as Partial<TLSSocket>).servername;
    this.sni = typeof servername === 'string' ? servername : undefined;
    this.path = ex.queryStart < 0 ? ex.path : ex.path.slice(0, ex.queryStart);
  }

  header(name: string): string | undefined {
    const ex = this.ex;
    switch (name) {
      case ':method':
        return ex.method;
      case ':path':
        return ex.path;
      case ':authority':
        return ex.hostHeader;
      case ':scheme':
        return downstreamTlsOf(ex.req.socket) === undefined ? 'http' : 'https';
      default: {
        const v = ex.headers[name];
        return Array.isArray(v) ? v.join(',') : v;
      }
    }
  }

  metadata(filter: string): Readonly<Record<string, unknown>> | undefined {
    return this.ex.dynamicMetadata?.get(filter);
  }
}
