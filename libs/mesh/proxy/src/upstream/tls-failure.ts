/**
 * Upstream TLS failures as Envoy reports them: the cluster's `ssl.*` counter a failure lands in
 * (SslSocket::drainErrorQueue and the cert validator: verification failures count in fail_verify_*,
 * every other handshake failure in connection_error) and the transport failure reason
 * (`TLS_error:|<packed code>:<lib>:OPENSSL_internal:<REASON>:TLS_error_end`, BoringSSL's names).
 */

export type TlsFailureKind = 'fail_verify_error' | 'fail_verify_san' | 'connection_error';

export interface TlsFailure {
  readonly kind: TlsFailureKind;
  /** Envoy's %UPSTREAM_TRANSPORT_FAILURE_REASON%. */
  readonly reason: string;
}

/** Our SAN check's error (match_subject_alt_names / auto_san_validation). */
export class SanMismatchError extends Error {
  readonly code = 'ERR_TLS_SAN_MISMATCH';
  constructor(message: string) {
    super(message);
    this.name = 'SanMismatchError';
  }
}

const SSL_LIB = 0x10000000;
/** BoringSSL reason codes for the errors Node reports by name. */
const SSL_REASONS: Readonly<Record<string, number>> = { CERTIFICATE_VERIFY_FAILED: 125, WRONG_VERSION_NUMBER: 247, NO_APPLICATION_PROTOCOL: 1120 };
/** TLS alert numbers (BoringSSL: reason = 1000 + alert). */
const ALERTS: Readonly<Record<string, number>> = {
  HANDSHAKE_FAILURE: 40, BAD_CERTIFICATE: 42, UNSUPPORTED_CERTIFICATE: 43, CERTIFICATE_REVOKED: 44, CERTIFICATE_EXPIRED: 45,
  CERTIFICATE_UNKNOWN: 46, ILLEGAL_PARAMETER: 47, UNKNOWN_CA: 48, ACCESS_DENIED: 49, DECODE_ERROR: 50, DECRYPT_ERROR: 51,
  PROTOCOL_VERSION: 70, INSUFFICIENT_SECURITY: 71, INTERNAL_ERROR: 80, UNRECOGNIZED_NAME: 112, CERTIFICATE_REQUIRED: 116,
};

function sslReason(name: string): string {
  const alert = /^(?:TLSV1|SSLV3|TLSV13)_ALERT_(.+)$/.exec(name);
  const reason = alert ? (ALERTS[alert[1] ?? ''] ?? -1000) + 1000 : (SSL_REASONS[name] ?? 0);
  const code = reason > 0 ? `${SSL_LIB + reason}:` : '';
  return `TLS_error:|${code}SSL routines:OPENSSL_internal:${name}:TLS_error_end`;
}

const VERIFY_FAILED = sslReason('CERTIFICATE_VERIFY_FAILED');
const RESET = 'TLS_error:|33554536:system library:OPENSSL_internal:Connection reset by peer:TLS_error_end';

/** X509 verification results Node reports as the error code (`UNABLE_TO_VERIFY_LEAF_SIGNATURE`, `CERT_HAS_EXPIRED`…). */
function isVerifyCode(code: string): boolean {
  return !code.startsWith('ERR_') && !/^E[A-Z]+$/.test(code);
}

/** A failure between TCP connect and the end of the handshake, classified. */
export function classifyTlsFailure(err: Error & { code?: string }): TlsFailure {
  const code = err.code ?? '';
  if (err instanceof SanMismatchError || code === 'ERR_TLS_CERT_ALTNAME_INVALID') return { kind: 'fail_verify_san', reason: VERIFY_FAILED };
  if (code !== '' && isVerifyCode(code)) return { kind: 'fail_verify_error', reason: VERIFY_FAILED };
  if (code.startsWith('ERR_SSL_')) return { kind: 'connection_error', reason: sslReason(code.slice('ERR_SSL_'.length)) };
  return { kind: 'connection_error', reason: RESET };
}
