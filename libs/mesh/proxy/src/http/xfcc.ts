import { createHash } from 'node:crypto';
import type { ForwardClientCertDetails, HttpConnectionManager } from '../config/envoy-types';
import { invalid } from '../config/proto';
import type { HeaderMap } from '../routing/header-mutation';
import { type DownstreamTls, downstreamTlsOf, dnsSans, rfc2253Subject, uriSans } from '../tls/peer-identity';
import type { Exchange } from './exchange';

/*
 * x-forwarded-client-cert as Envoy's HCM writes it (ConnectionManagerUtility::mutateXfccRequestHeader):
 * ALWAYS_FORWARD_ONLY passes it untouched; SANITIZE (the default), or a connection without a verified
 * client certificate, removes it; FORWARD_ONLY passes it on mTLS; APPEND_FORWARD appends and
 * SANITIZE_SET sets this hop's element: `By=<our URI SAN>` (each), `Hash=<hex SHA-256 of the peer's DER>`,
 * then set_current_client_cert_details in Envoy's order — Cert, Chain, Subject="…", URI=… (each, or
 * empty), DNS=… (each) — joined with `;`. The element is built once per connection.
 */

export const XFCC_HEADER = 'x-forwarded-client-cert';

const MODES: ReadonlySet<string> = new Set(['SANITIZE', 'FORWARD_ONLY', 'APPEND_FORWARD', 'SANITIZE_SET', 'ALWAYS_FORWARD_ONLY']);

export interface XfccConfig {
  readonly mode: ForwardClientCertDetails;
  readonly cert: boolean;
  readonly chain: boolean;
  readonly subject: boolean;
  readonly uri: boolean;
  readonly dns: boolean;
  /** Cache key of the detail set (one element per connection and set). */
  readonly key: string;
}

export function compileXfcc(resource: string, h: HttpConnectionManager): XfccConfig {
  const mode = h.forward_client_cert_details ?? 'SANITIZE';
  if (!MODES.has(mode)) throw invalid(resource, `unknown forward_client_cert_details ${String(mode)}`);
  const d = h.set_current_client_cert_details;
  const x = { cert: d?.cert === true, chain: d?.chain === true, subject: d?.subject?.value === true, uri: d?.uri === true, dns: d?.dns === true };
  return { mode, ...x, key: `${+x.cert}${+x.chain}${+x.subject}${+x.uri}${+x.dns}` };
}

const pemOf = (der: Buffer): string => `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n?$/, '\n')}-----END CERTIFICATE-----\n`;

/** This hop's element for the connection, as Envoy joins it. */
function element(tls: DownstreamTls, x: XfccConfig): string {
  const peer = tls.peerCertificate;
  if (peer === undefined) return '';
  const parts: string[] = tls.localUriSans.map((u) => `By=${u}`);
  parts.push(`Hash=${createHash('sha256').update(peer.raw).digest('hex')}`);
  if (x.cert) parts.push(`Cert="${encodeURIComponent(pemOf(peer.raw))}"`);
  if (x.chain) parts.push(`Chain="${encodeURIComponent(pemOf(peer.raw))}"`);
  if (x.subject) parts.push(`Subject="${rfc2253Subject(peer)}"`);
  if (x.uri) {
    const uris = uriSans(peer.subjectAltName);
    parts.push(...(uris.length > 0 ? uris.map((u) => `URI=${u}`) : ['URI=']));
  }
  if (x.dns) parts.push(...dnsSans(peer.subjectAltName).map((d) => `DNS=${d}`));
  return parts.join(';');
}

function elementFor(tls: DownstreamTls, x: XfccConfig): string {
  const cache = (tls.xfcc ??= new Map());
  let value = cache.get(x.key);
  if (value === undefined) {
    value = element(tls, x);
    cache.set(x.key, value);
  }
  return value;
}

/** Applies the HCM's XFCC rule to the upstream request headers (only SANITIZE's lookup on plaintext defaults). */
export function applyXfcc(ex: Exchange, out: HeaderMap): void {
  const x = ex.target.hcm.xfcc;
  if (x.mode === 'ALWAYS_FORWARD_ONLY') return;
  const tls = x.mode === 'SANITIZE' ? undefined : downstreamTlsOf(ex.req.socket);
  if (tls?.peerCertificate === undefined) {
    if (out[XFCC_HEADER] !== undefined) delete out[XFCC_HEADER];
    return;
  }
  if (x.mode === 'FORWARD_ONLY') return;
  const value = elementFor(tls, x);
  const prior = out[XFCC_HEADER];
  out[XFCC_HEADER] = x.mode === 'APPEND_FORWARD' && prior !== undefined && prior !== '' ? `${String(prior)},${value}` : value;
}
