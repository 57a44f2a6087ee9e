/**
 * @trellis/mesh-proxy — the data plane of an Envoy-compatible proxy. Feed it the Envoy v3 objects of
 * docs/xds-resources.md (validate + apply per xDS response); it binds listeners, routes HTTP through
 * a stack of small layers (stack.ts: listener → filter chain → HTTP filters → router), balances over its own HTTP/1.1 connection pools, and serves the
 * admin (15000), health (15021) and Prometheus (15090) endpoints.
 */
export { type ProxyNode, UNKNOWN_NODE } from './proxy-node';
export { createProxy, type Proxy, type ProxyOptions, type HostPort } from './proxy';
export { type AppScrapeTarget, PROMETHEUS_ANNOTATIONS_ENV, appScrapeTarget } from './stats/merged-target';
export type { StatusOptions } from './admin/merged-metrics';
export type { BindOverride, BoundAddress } from './listener/listener-manager';
export type { AccessLogSink } from './http/access-log';
export type { XdsType } from './config/envoy-types';
export type * as Envoy from './config/envoy-types';
export {
  certificatesDump,
  ROOT_CA_SECRET,
  SecretStore,
  secretsConfigDump,
  WORKLOAD_CERT_SECRET,
  type ProxySecret,
  type SecretInput,
  type SecretProvider,
  type TlsCertificateSecret,
  type ValidationContextSecret,
} from './sds';
/** jwt_authn's engine, for `trellis x authz check`: the same decision the filter makes. */
export { JwtAuthenticator, type JwtAuthnOutcome } from './http/filters/jwt/authenticator';
export { compileJwtPerRoute, type CompiledJwtPerRoute } from './http/filters/jwt/config';
export type { JwtRequest } from './http/filters/jwt/extract';
/** Trellis's admin `GET /trellis/route` (where would this request go?), for `trellis x route`. */
export { ROUTE_EXPLAIN_PATH } from './admin/route-endpoint';
export type * from './admin/route-explain-types';
