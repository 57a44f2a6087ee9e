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
}

export const DEFAULT_TRANSLATE_OPTIONS: TranslateOptions = { mtls: false, trustDomain: 'cluster.local' };

export function translateOptions(partial: Partial<TranslateOptions> = {}): TranslateOptions {
  return { ...DEFAULT_TRANSLATE_OPTIONS, ...partial };
}
