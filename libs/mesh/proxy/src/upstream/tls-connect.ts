import { type ConnectionOptions, type PeerCertificate, type TLSSocket, checkServerIdentity, connect as tlsConnect } from 'node:tls';
import { isIP } from 'node:net';
import { TrellisError } from '@trellis/shared';
import { type TlsFailure, SanMismatchError, classifyTlsFailure } from './tls-failure';
import type { SslStats } from './tls-stats';
import type { UpstreamTlsConfig } from './tls-config';
import { allSans } from '../tls/peer-identity';

/** Envoy's transport failure reason while an SDS secret is missing (NotReadySslSocket). */
export const SECRET_NOT_READY = 'TLS error: Secret is not supplied by SDS';

/** A cluster's TLS and where its handshake outcomes are counted. */
export interface UpstreamTransport {
  readonly tls: UpstreamTlsConfig;
  readonly stats: SslStats;
}

/** The SANs of a peer certificate as Envoy compares them: DNS, URI, IP and email values. */
function subjectAltNames(cert: PeerCertificate): string[] {
  return allSans(cert.subjectaltname);
}

/** Where and how to connect: the endpoint, the cluster's TLS, the SNI, half-close, the bind address. */
export interface TlsConnectOptions {
  readonly host: string;
  readonly port: number;
  readonly transport: UpstreamTransport;
  readonly sni: string;
  readonly allowHalfOpen?: boolean;
  /** upstream_bind_config.source_address (Istio's 127.0.0.6 for inbound clusters). */
  readonly localAddress?: string | undefined;
  /** Offered instead of the cluster's `alpn_protocols` (an HTTP request's istio.alpn override). */
  readonly alpn?: readonly string[] | undefined;
}

/** Node's checkServerIdentity hook: match_subject_alt_names, else auto_san_validation, else nothing. */
function identityCheck(tls: UpstreamTlsConfig, sni: string): (host: string, cert: PeerCertificate) => Error | undefined {
  return (_host, cert) => {
    if (tls.sanMatchers.length > 0) {
      const sans = subjectAltNames(cert);
      if (sans.some((san) => tls.sanMatchers.some((m) => m(san)))) return undefined;
      return new SanMismatchError(`upstream certificate SANs [${sans.join(', ')}] match no match_subject_alt_names entry`);
    }
    if (tls.autoSanValidation && sni !== '') return checkServerIdentity(sni, cert);
    return undefined;
  };
}

/**
 * Opens a TLS connection upstream. `sni` is the cluster's, or the request's host for auto_sni; the
 * ALPN is the cluster's unless the pool was made for an istio.alpn override. The
 * chain is verified when the cluster has a trusted CA (Envoy verifies nothing without one); Node
 * fails the socket before `secureConnect` on a bad chain or SAN, so nothing is written unverified
 * by callers that wait for it. The outcome is counted once: `ssl.handshake` or a failure counter.
 */
export function connectTls(o: TlsConnectOptions): TLSSocket {
  const { transport: t, sni } = o;
  const { tls } = t;
  const ready = tls.contexts.current();
  const alpn = o.alpn ?? tls.alpn;
  // Callers check readiness first (secrets-gate.ts, TcpSession); a ready context never goes away.
  if (ready === undefined) throw new TrellisError('TLS_NOT_READY', `${tls.contexts.spec.resource}: ${SECRET_NOT_READY}`);
  // allowHalfOpen is passed on to the TLSSocket by tls.connect (tcp_proxy forwards half-close), untyped.
  const options: ConnectionOptions & { allowHalfOpen: boolean; localAddress?: string } = {
    host: o.host,
    port: o.port,
    ...(o.localAddress !== undefined ? { localAddress: o.localAddress } : {}),
    ...(sni !== '' && isIP(sni) === 0 ? { servername: sni } : {}),
    secureContext: ready.context,
    ...(alpn.length > 0 ? { ALPNProtocols: [...alpn] } : {}),
    rejectUnauthorized: tls.verifyChain,
    checkServerIdentity: identityCheck(tls, sni),
    allowHalfOpen: o.allowHalfOpen ?? false,
  };
  const socket = tlsConnect(options);
  socket.setNoDelay(true);
  let tcpUp = false;
  socket.once('connect', () => (tcpUp = true));
  const onError = (err: Error): void => {
    if (tcpUp) recordTlsFailure(socket, t.stats, classifyTlsFailure(err));
  };
  socket.once('error', onError);
  // Node emits OpenSSL's errors without closing the socket; a TLS error always ends the connection.
  socket.on('error', () => socket.destroy());
  socket.once('secureConnect', () => {
    socket.off('error', onError);
    t.stats.handshake++;
  });
  return socket;
}

const FAILURES = new WeakMap<TLSSocket, TlsFailure>();
/** A stream layered over a TLS socket (exchange-socket.ts) → that socket: its failure is the stream's. */
const LAYERED = new WeakMap<object, TLSSocket>();

/** `outer` carries `inner`'s bytes: tlsFailureOf(outer) answers for inner. */
export function layerTls(outer: object, inner: TLSSocket): void {
  LAYERED.set(outer, inner);
}

function recordTlsFailure(socket: TLSSocket, stats: SslStats, f: TlsFailure): void {
  stats[f.kind]++;
  FAILURES.set(socket, f);
}

/** The handshake failure of a socket made by connectTls, if that is how it failed. */
export function tlsFailureOf(socket: TLSSocket | object): TlsFailure | undefined {
  return FAILURES.get(LAYERED.get(socket) ?? (socket as TLSSocket));
}
