/** A TLS cluster's `cluster.<name>.ssl.*` counters (Envoy's SslStats; rendered only for TLS clusters). */
export class SslStats {
  handshake = 0;
  connection_error = 0;
  fail_verify_error = 0;
  fail_verify_san = 0;
  fail_verify_no_cert = 0;
  no_certificate = 0;
  session_reused = 0;

  counters(): [string, number][] {
    const out: [string, number][] = [];
    for (const [k, v] of Object.entries(this)) if (typeof v === 'number') out.push([`ssl.${k}`, v]);
    return out;
  }
}
