import { ISTIO_ALPN_FILTER_NAME, ISTIO_ALPN_TYPE, type HttpFilter, type IstioAlpnFilterConfig } from '@trellis/mesh-envoy';

/*
 * istiod's `xdsfilters.Alpn` (pilot/pkg/xds/filters): on every HCM that is not sidecar inbound (sidecar
 * outbound and gateways), before fault and router, so the client sidecar's upstream TLS offers
 * `istio-http/1.x` / `istio-h2` for HTTP instead of the cluster's `istio-peer-exchange, istio`, and the
 * server's PERMISSIVE chains for undeclared ports serve it as HTTP. "istio" keeps older servers matching;
 * the plain `http/1.x` / `h2` let a server outside the mesh negotiate (the HCM cannot know the upstream).
 * Emitted with `TranslateOptions.mtls` (Istio: `ENABLE_ALPN_FILTER`, on by default).
 */

const ISTIO_ALPN_CONFIG: IstioAlpnFilterConfig = {
  '@type': ISTIO_ALPN_TYPE,
  alpn_override: [
    { upstream_protocol: 'HTTP10', alpn_override: ['istio-http/1.0', 'istio', 'http/1.0'] },
    { upstream_protocol: 'HTTP11', alpn_override: ['istio-http/1.1', 'istio', 'http/1.1'] },
    { upstream_protocol: 'HTTP2', alpn_override: ['istio-h2', 'istio', 'h2'] },
  ],
};

export const ISTIO_ALPN_FILTER: HttpFilter = { name: ISTIO_ALPN_FILTER_NAME, typed_config: ISTIO_ALPN_CONFIG };
