/**
 * Switches of one translator (the same for every proxy it serves), fed by the control plane's flags.
 *
 * `mtls` gates all of issue #16's mTLS emission in one place: inbound chains per PeerAuthentication
 * (DownstreamTlsContext, tls_inspector, XFCC), ISTIO_MUTUAL and auto mTLS upstream
 * (UpstreamTlsContext with SDS `default`/`ROOTCA`, transport_socket_matches) and the endpoints'
 * `tlsMode` metadata. Off (the control plane's default until the proxy's data path understands these
 * shapes) the output is what it was before mTLS. Istio's own default corresponds to on: PERMISSIVE and
 * `enableAutoMtls: true`.
 */
export interface TranslateOptions {
  readonly mtls: boolean;
  /** SPIFFE trust domain of the workload identities (`spiffe://<td>/ns/<ns>/sa/<sa>`), the CA's `--trust-domain`. */
  readonly trustDomain: string;
  /**
   * istiod's `PILOT_HTTP10`: every HCM accepts HTTP/1.0 (`accept_http_10`) and sniffed plaintext ports
   * match `http/1.0` as HTTP. Off, as in Istio: HTTP/1.0 gets `426`, or passes a sniffed port as TCP.
   */
  readonly http10?: boolean;
}

export const DEFAULT_TRANSLATE_OPTIONS: TranslateOptions = { mtls: false, trustDomain: 'cluster.local' };

export function translateOptions(partial: Partial<TranslateOptions> = {}): TranslateOptions {
  return { ...DEFAULT_TRANSLATE_OPTIONS, ...partial };
}
