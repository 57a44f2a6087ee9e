import type { X509Certificate } from 'node:crypto';
import type { Socket } from 'node:net';

/*
 * What a terminated TLS connection knows about its peer, attached to the socket once per connection
 * (the HCM reads it for XFCC; RBAC's `source.principal` next). Node renders SANs as
 * `URI:spiffe://…, DNS:a, IP Address:1.2.3.4` (values containing ", " quoted).
 */

/** Each `<kind>:<value>` entry of Node's subjectAltName string. */
function sanEntries(raw: string | undefined): [kind: string, value: string][] {
  if (typeof raw !== 'string' || raw === '') return [];
  return raw.split(', ').map((entry) => {
    const i = entry.indexOf(':');
    const value = entry.slice(i + 1);
    return [entry.slice(0, i), value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value];
  });
}

export function uriSans(raw: string | undefined): string[] {
  return sanEntries(raw).filter(([k]) => k === 'URI').map(([, v]) => v);
}

export function dnsSans(raw: string | undefined): string[] {
  return sanEntries(raw).filter(([k]) => k === 'DNS').map(([, v]) => v);
}

/** Every SAN value (DNS, URI, IP, email), as Envoy's match_subject_alt_names compares them. */
export function allSans(raw: string | undefined): string[] {
  return sanEntries(raw).map(([, v]) => v);
}

/** The subject as OpenSSL's RFC 2253 printing (Envoy's subjectPeerCertificate): last RDN first, comma-separated. */
export function rfc2253Subject(cert: X509Certificate): string {
  // Node leaves `subject` undefined for an empty subject (Istio's workload certificates).
  const subject = cert.subject as string | undefined;
  const lines = subject === undefined || subject === '' ? [] : subject.split('\n');
  return lines.reverse().map((l) => l.replace(/([,+"\\<>;])/g, '\\$1')).join(',');
}

/** The downstream TLS of one connection, after the handshake and verification. */
export interface DownstreamTls {
  /** The peer presented a certificate (verified as the chain's context asks). */
  readonly peerCertificate: X509Certificate | undefined;
  /** Our certificate's URI SANs (XFCC `By=`). */
  readonly localUriSans: readonly string[];
  readonly alpn: string | false;
  /** The XFCC element for this connection, per detail set; computed on first use. */
  xfcc?: Map<string, string>;
}

const DOWNSTREAM_TLS = Symbol('trellis.downstreamTls');
type Tagged = { [DOWNSTREAM_TLS]?: DownstreamTls };

export function attachDownstreamTls(socket: Socket, tls: DownstreamTls): void {
  (socket as Socket & Tagged)[DOWNSTREAM_TLS] = tls;
}

/**
 * The TLS of the connection a request came on. `socket` is the TLS socket (HTTP/1.1) or HTTP/2's
 * socket proxy, which forwards property reads to the session's socket; plaintext: undefined.
 */
export function downstreamTlsOf(socket: object | null | undefined): DownstreamTls | undefined {
  return socket === null || socket === undefined ? undefined : (socket as Tagged)[DOWNSTREAM_TLS];
}

/** The peer's URI SAN identity (`spiffe://…`), or undefined on plaintext / no certificate. */
export function peerPrincipal(tls: DownstreamTls | undefined): string | undefined {
  return tls?.peerCertificate === undefined ? undefined : uriSans(tls.peerCertificate.subjectAltName)[0];
}
