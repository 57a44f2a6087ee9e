/** A TLS cluster's `cluster.<name>.ssl.*` counters (Envoy's SslStats; rendered only for TLS clusters). */
export class SslStats {
  handshake = 0;
  connection_error = 0;
  fail_verify_error = 0;
  fail_verify_san = 0;
  fail_verify_no_cert = 0;
  no_certificate = 0;
  session_reused = 0;
  /** `cluster.<name>.client_ssl_socket_factory.*` (SDS: rotations, connections refused while warming). */
  readonly socketFactory = { ssl_context_update_by_sds: 0, upstream_context_secrets_not_ready: 0 };

  counters(): [string, number][] {
    const out: [string, number][] = [];
    for (const [k, v] of Object.entries(this)) if (typeof v === 'number') out.push([`ssl.${k}`, v]);
    for (const [k, v] of Object.entries(this.socketFactory)) out.push([`client_ssl_socket_factory.${k}`, v]);
    return out;
  }
}
