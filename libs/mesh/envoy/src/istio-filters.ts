/**
 * Istio's own HTTP filter extensions (istio/proxy, protos in istio/api), as istiod writes them beside
 * Envoy's. Today: `istio.alpn`, which makes an HTTP request's upstream TLS connection offer an ALPN
 * for its upstream HTTP protocol instead of the cluster's `alpn_protocols`, so the server sidecar's
 * PERMISSIVE chains can tell HTTP-over-mTLS (`istio-http/1.1`, `istio-h2`) from TCP (`istio-peer-exchange`).
 */

/** The `http_filters[].name` istiod gives it (pilot/pkg/xds/filters `AlpnFilterName`). */
export const ISTIO_ALPN_FILTER_NAME = 'istio.alpn';

/** istio/api envoy/config/filter/http/alpn/v2alpha1/config.proto. */
export const ISTIO_ALPN_TYPE = 'type.googleapis.com/istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig';

/** FilterConfig.Protocol: the upstream HTTP protocol an override is for (HTTP10 = 0, the proto3 default). */
export type AlpnUpstreamProtocol = 'HTTP10' | 'HTTP11' | 'HTTP2';

/** FilterConfig.AlpnOverride: `upstream_protocol` (absent = HTTP10) → the ALPN list to offer. */
export type AlpnOverride = { upstream_protocol?: AlpnUpstreamProtocol; alpn_override?: string[] };

/** istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig. */
export type IstioAlpnFilterConfig = { '@type': typeof ISTIO_ALPN_TYPE; alpn_override?: AlpnOverride[] };
