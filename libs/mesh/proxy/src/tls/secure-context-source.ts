import { X509Certificate } from 'node:crypto';
import { type SecureContext, type SecureContextOptions, createSecureContext } from 'node:tls';
import type { Logger } from '@trellis/shared';
import type { ProxySecret, SecretProvider } from '../sds/secret-provider';
import { invalid } from '../config/proto';
import type { KeyPair, Material, TlsContextSpec } from './tls-context-spec';
import { uriSans } from './peer-identity';

/** A SecureContext ready for new connections, and what XFCC's `By=` needs of our own certificate. */
export interface ReadyContext {
  readonly context: SecureContext;
  /** What it was built from (a server socket factory takes options, not a context). */
  readonly options: SecureContextOptions;
  /** URI SANs of the certificate we present (Envoy's uriSanLocalCertificate). */
  readonly localUriSans: readonly string[];
}

/** Where a source reports (Envoy's `*_ssl_socket_factory.*` counters and logs); set by the owner. */
export interface SourceEvents {
  /** A rebuild after a secret changed (`ssl_context_update_by_sds`). */
  onUpdate?(): void;
}

function build(spec: TlsContextSpec, pair: KeyPair | undefined, ca: Buffer | string | undefined): ReadyContext {
  const options: SecureContextOptions = {
    ...(ca !== undefined ? { ca } : {}),
    ...(pair !== undefined ? { cert: pair.cert, key: pair.key } : {}),
    minVersion: spec.minVersion,
    maxVersion: spec.maxVersion,
    ...(spec.ciphers !== undefined ? { ciphers: spec.ciphers } : {}),
  };
  return { context: createSecureContext(options), options, localUriSans: localSans(pair) };
}

function localSans(pair: KeyPair | undefined): readonly string[] {
  if (pair === undefined) return [];
  try {
    return uriSans(new X509Certificate(pair.cert).subjectAltName);
  } catch {
    return [];
  }
}

/**
 * The SecureContext of one TLS context, resolved per new connection. Static material is built once
 * (at compile time, so bad files NACK); SDS material is looked up by name in the provider: absent =
 * warming (`current()` is undefined), present = built once per secret version and kept until a secret
 * changes (rotation), so new connections get the new certificate and open ones keep theirs. A secret
 * that does not build (bad key) keeps the previous context, as Envoy rejects such an SDS update.
 */
export class SecureContextSource {
  private ready: ReadyContext | undefined;
  private certSecret: ProxySecret | undefined;
  private caSecret: ProxySecret | undefined;
  private warnedWarming = false;
  events: SourceEvents = {};

  constructor(
    readonly spec: TlsContextSpec,
    private readonly secrets: SecretProvider | undefined,
    private readonly logger: Logger | undefined,
  ) {
    if (!this.usesSds) {
      const pair = spec.certificate?.kind === 'static' ? spec.certificate.value : undefined;
      const ca = spec.trustedCa?.kind === 'static' ? spec.trustedCa.value : undefined;
      try {
        this.ready = build(spec, pair, ca);
      } catch (err) {
        throw invalid(spec.resource, `transport_socket: bad certificate or key (${(err as Error).message})`);
      }
    }
  }

  get usesSds(): boolean {
    return this.spec.certificate?.kind === 'sds' || this.spec.trustedCa?.kind === 'sds';
  }

  /** The names this context waits for while warming (for the log line). */
  missing(): string[] {
    const out: string[] = [];
    for (const m of [this.spec.certificate, this.spec.trustedCa]) if (m?.kind === 'sds' && this.secrets?.get(m.name) === undefined) out.push(m.name);
    return out;
  }

  /** The context for a connection starting now; undefined while an SDS secret has not arrived. */
  current(): ReadyContext | undefined {
    if (!this.usesSds) return this.ready;
    const cert = this.lookup(this.spec.certificate);
    const ca = this.lookup(this.spec.trustedCa);
    if (cert === null || ca === null) return this.warming();
    if (this.ready !== undefined && cert === this.certSecret && ca === this.caSecret) return this.ready;
    return this.rebuild(cert, ca);
  }

  private lookup(m: Material<unknown> | undefined): ProxySecret | undefined | null {
    if (m?.kind !== 'sds') return undefined;
    return this.secrets?.get(m.name) ?? null;
  }

  private warming(): undefined {
    if (!this.warnedWarming) {
      this.warnedWarming = true;
      this.logger?.warn({ resource: this.spec.resource, secrets: this.missing() }, 'TLS context warming: SDS secret not supplied yet');
    }
    return undefined;
  }

  private rebuild(cert: ProxySecret | undefined, ca: ProxySecret | undefined): ReadyContext | undefined {
    const pair = cert?.type === 'tls_certificate' ? { cert: Buffer.from(cert.certificateChainPem), key: Buffer.from(cert.privateKeyPem) } : this.staticPair();
    const caPem = ca?.type === 'validation_context' ? ca.trustedCaPem : this.spec.trustedCa?.kind === 'static' ? this.spec.trustedCa.value : undefined;
    const first = this.ready === undefined;
    try {
      this.ready = build(this.spec, pair, caPem);
      if (!first) this.events.onUpdate?.();
      this.logger?.info({ resource: this.spec.resource, cert: cert?.versionInfo, ca: ca?.versionInfo }, first ? 'TLS context ready' : 'TLS context updated by SDS');
    } catch (err) {
      this.logger?.error({ resource: this.spec.resource, err: (err as Error).message }, 'SDS secret rejected: cannot build a TLS context');
    }
    this.certSecret = cert;
    this.caSecret = ca;
    return this.ready;
  }

  private staticPair(): KeyPair | undefined {
    return this.spec.certificate?.kind === 'static' ? this.spec.certificate.value : undefined;
  }
}
