import type { Socket } from 'node:net';
import { type Server, type TLSSocket, createServer } from 'node:tls';
import type { Logger } from '@trellis/shared';
import type { DownstreamTlsConfig, ListenerSslStats } from './downstream-tls-config';
import { allSans, attachDownstreamTls } from './peer-identity';
import type { ReadyContext } from './secure-context-source';

/*
 * TLS termination on an accepted connection whose filter chain has a DownstreamTlsContext (Envoy's
 * server SslSocket). Each chain gets one non-listening tls.Server (Node verifies a client's chain with
 * OpenSSL only for server-made sockets) fed the connection; its context follows the chain's SDS secret
 * (`setSecureContext` when `default`/`ROOTCA` rotate: connections accepted after that get the new
 * certificate, open ones keep theirs). ALPN by the server's preference. The peer is then judged as
 * Envoy's default validator does: no certificate → `fail_verify_no_cert` when required, else
 * `no_certificate`; a chain that does not verify against the trusted CA (another root, expired) →
 * `fail_verify_error`; no SAN matching match_subject_alt_names → `fail_verify_san`; any other handshake
 * failure → `connection_error`; success → `handshake`. A failure closes that connection, is logged at
 * debug with its reason and disturbs nothing else.
 */

type Failure = keyof Pick<ListenerSslStats, 'connection_error' | 'fail_verify_error' | 'fail_verify_san' | 'fail_verify_no_cert'>;
type Outcome = (s: TLSSocket | undefined, err?: Error) => void;

interface Factory {
  readonly server: Server;
  ready: ReadyContext;
  /** Connections in their handshake, by `remote|local` address (the raw socket's identity in the server's events). */
  readonly pending: Map<string, Outcome>;
}

const FACTORIES = new WeakMap<DownstreamTlsConfig, Factory>();

/** How long a refused handshake's socket may take to send its alert before it is destroyed. */
const ALERT_FLUSH_MS = 1_000;

const keyOf = (s: Socket): string => `${s.remoteAddress ?? ''}:${s.remotePort ?? 0}|${s.localAddress ?? ''}:${s.localPort ?? 0}`;

/** Server preference, as Envoy's ALPN select callback; with no overlap Node must pick one of the client's, so its first. */
function alpnChooser(server: readonly string[]): (o: { protocols: string[] }) => string | undefined {
  return ({ protocols }) => server.find((p) => protocols.includes(p)) ?? protocols[0];
}

function factoryFor(cfg: DownstreamTlsConfig, ready: ReadyContext): Factory {
  let f = FACTORIES.get(cfg);
  if (f === undefined) {
    const server = createServer({
      ...ready.options,
      requestCert: cfg.verifyChain || cfg.requireClientCertificate,
      // Required and verifiable: OpenSSL refuses in the handshake with the alert Envoy's BoringSSL sends
      // (TLS 1.3 certificate_required without a certificate, unknown_ca for another root), so the client
      // is told why. Otherwise the peer is judged after the handshake (verdict below).
      rejectUnauthorized: cfg.verifyChain && cfg.requireClientCertificate,
      ...(cfg.alpn.length > 0 ? { ALPNCallback: alpnChooser(cfg.alpn) } : {}),
    });
    const pending = new Map<string, Outcome>();
    const settle = (s: TLSSocket, err?: Error): void => {
      const key = keyOf(s);
      const outcome = pending.get(key);
      pending.delete(key);
      outcome?.(s, err);
    };
    server.on('secureConnection', (s: TLSSocket) => settle(s));
    server.on('tlsClientError', (err: Error, s: TLSSocket) => settle(s, err));
    f = { server, ready, pending };
    FACTORIES.set(cfg, f);
  } else if (f.ready !== ready) {
    f.server.setSecureContext(ready.options);
    f.ready = ready;
  }
  return f;
}

/** Envoy's counter for a handshake OpenSSL refused: no client certificate, an unverifiable one, or anything else. */
function handshakeFailure(err: Error | undefined): Failure {
  const code = String((err as { code?: string } | undefined)?.code ?? '');
  if (/PEER_DID_NOT_RETURN_A_CERTIFICATE|CERTIFICATE_REQUIRED/.test(code)) return 'fail_verify_no_cert';
  if (/VERIFY|CERT|ISSUER|EXPIRED|NOT_YET_VALID|SELF_SIGNED|UNKNOWN_CA|CHAIN/.test(code)) return 'fail_verify_error';
  return 'connection_error';
}

/** undefined = verified; else the counter and the reason. */
function verdict(s: TLSSocket, cfg: DownstreamTlsConfig): { kind: Failure; reason: string } | undefined {
  const peer = s.getPeerX509Certificate();
  if (peer === undefined) return cfg.requireClientCertificate ? { kind: 'fail_verify_no_cert', reason: 'peer did not present a certificate' } : undefined;
  if (cfg.verifyChain && !s.authorized) return { kind: 'fail_verify_error', reason: String(s.authorizationError) };
  if (cfg.sanMatchers.length > 0) {
    const sans = allSans(peer.subjectAltName);
    if (!sans.some((san) => cfg.sanMatchers.some((m) => m(san)))) return { kind: 'fail_verify_san', reason: `peer SANs [${sans.join(', ')}] match no match_subject_alt_names entry` };
  }
  return undefined;
}

export interface TerminationSite {
  readonly listener: string;
  readonly logger: Logger;
}

/** Resolves with the verified TLS socket (identity attached), or undefined when the connection was closed. */
export function terminateTls(raw: Socket, cfg: DownstreamTlsConfig, site: TerminationSite): Promise<TLSSocket | undefined> {
  const ready = cfg.contexts.current();
  const remote = `${raw.remoteAddress ?? ''}:${raw.remotePort ?? 0}`;
  if (ready === undefined) {
    cfg.stats.secretsNotReady.value++;
    site.logger.debug({ listener: site.listener, remote }, 'downstream TLS refused: SDS secret not supplied yet');
    raw.destroy();
    return Promise.resolve(undefined);
  }
  const factory = factoryFor(cfg, ready);
  const key = keyOf(raw);
  return new Promise((resolve) => {
    const fail = (kind: Failure, reason: string, s: TLSSocket | undefined): void => {
      cfg.stats[kind].value++;
      site.logger.debug({ listener: site.listener, remote, reason, stat: `ssl.${kind}` }, 'downstream TLS handshake failed');
      // Let OpenSSL's alert (e.g. certificate_required) reach the client before the close, as Envoy's does.
      raw.end();
      setTimeout(() => {
        s?.destroy();
        raw.destroy();
      }, ALERT_FLUSH_MS).unref();
      resolve(undefined);
    };
    const onRawClose = (): void => {
      if (!factory.pending.delete(key)) return;
      // Node destroys a required client certificate that does not verify right after the handshake, with no
      // event (onServerSocketSecure): under require + verify, a handshake that never settles is that refusal.
      if (cfg.verifyChain && cfg.requireClientCertificate) fail('fail_verify_error', 'client certificate did not verify (or the peer left during the handshake)', undefined);
      else fail('connection_error', 'connection closed during the handshake', undefined);
    };
    factory.pending.set(key, (s, err) => {
      raw.off('close', onRawClose);
      if (s === undefined || err !== undefined) return fail(handshakeFailure(err), err?.message ?? 'closed', s);
      const bad = verdict(s, cfg);
      if (bad !== undefined) return fail(bad.kind, bad.reason, s);
      if (s.getPeerX509Certificate() === undefined) cfg.stats.no_certificate.value++;
      cfg.stats.handshake.value++;
      s.on('error', () => s.destroy());
      attachDownstreamTls(s, { peerCertificate: s.getPeerX509Certificate(), localUriSans: ready.localUriSans, alpn: s.alpnProtocol ?? false });
      resolve(s);
    });
    raw.once('close', onRawClose);
    factory.server.emit('connection', raw);
  });
}
