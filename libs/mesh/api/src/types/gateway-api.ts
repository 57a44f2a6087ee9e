import type { Resource } from './meta';

/**
 * Kubernetes Gateway API (`gateway.networking.k8s.io`, standard channel) as Trellis stores it.
 * Field names and meanings are the upstream API's; optional fields keep their upstream defaults
 * (applied by the conversion, not written into the object).
 */
export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist'; values?: string[] }[];
}

// ── GatewayClass ────────────────────────────────────────────────────────────────
export interface ParametersReference {
  group: string;
  kind: string;
  name: string;
  namespace?: string;
}
export interface GatewayClassSpec {
  controllerName: string;
  parametersRef?: ParametersReference;
  description?: string;
}
export type GatewayClass = Resource<'GatewayClass', GatewayClassSpec>;

// ── Gateway ─────────────────────────────────────────────────────────────────────
export interface SecretObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
}
export interface GatewayTLSConfig {
  mode?: 'Terminate' | 'Passthrough';
  certificateRefs?: SecretObjectReference[];
  options?: Record<string, string>;
}
export interface RouteGroupKind {
  group?: string;
  kind: string;
}
export interface AllowedRoutes {
  namespaces?: { from?: 'All' | 'Same' | 'Selector'; selector?: LabelSelector };
  kinds?: RouteGroupKind[];
}
export type ListenerProtocol = 'HTTP' | 'HTTPS' | 'TLS' | 'TCP' | 'UDP' | (string & {});
export interface Listener {
  name: string;
  hostname?: string;
  port: number;
  protocol: ListenerProtocol;
  tls?: GatewayTLSConfig;
  allowedRoutes?: AllowedRoutes;
}
export interface GatewaySpecAddress {
  type?: 'IPAddress' | 'Hostname' | (string & {});
  value: string;
}
export interface KubernetesGatewaySpec {
  gatewayClassName: string;
  listeners: Listener[];
  addresses?: GatewaySpecAddress[];
  infrastructure?: { labels?: Record<string, string>; annotations?: Record<string, string>; parametersRef?: { group: string; kind: string; name: string } };
}
/** A Gateway API Gateway (`kind: Gateway` in `gateway.networking.k8s.io`; stored under the id `KubernetesGateway`, as istiod names it). */
export type KubernetesGateway = Resource<'Gateway', KubernetesGatewaySpec>;

// ── HTTPRoute ───────────────────────────────────────────────────────────────────
export interface ParentReference {
  group?: string;
  kind?: string;
  namespace?: string;
  name: string;
  sectionName?: string;
  port?: number;
}
export interface HTTPPathMatch {
  type?: 'Exact' | 'PathPrefix' | 'RegularExpression';
  value?: string;
}
export interface HTTPValueMatch {
  type?: 'Exact' | 'RegularExpression';
  name: string;
  value: string;
}
export interface HTTPRouteMatch {
  path?: HTTPPathMatch;
  headers?: HTTPValueMatch[];
  queryParams?: HTTPValueMatch[];
  method?: string;
}
export interface HTTPHeader {
  name: string;
  value: string;
}
export interface HTTPHeaderFilter {
  set?: HTTPHeader[];
  add?: HTTPHeader[];
  remove?: string[];
}
export interface HTTPPathModifier {
  type: 'ReplaceFullPath' | 'ReplacePrefixMatch';
  replaceFullPath?: string;
  replacePrefixMatch?: string;
}
export interface HTTPRequestRedirectFilter {
  scheme?: 'http' | 'https';
  hostname?: string;
  path?: HTTPPathModifier;
  port?: number;
  statusCode?: 301 | 302;
}
export interface HTTPURLRewriteFilter {
  hostname?: string;
  path?: HTTPPathModifier;
}
export interface BackendObjectReference {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
}
export interface HTTPRequestMirrorFilter {
  backendRef: BackendObjectReference;
  percent?: number;
  fraction?: { numerator: number; denominator?: number };
}
export interface HTTPRouteFilter {
  type: 'RequestHeaderModifier' | 'ResponseHeaderModifier' | 'RequestMirror' | 'RequestRedirect' | 'URLRewrite' | 'ExtensionRef' | 'CORS';
  requestHeaderModifier?: HTTPHeaderFilter;
  responseHeaderModifier?: HTTPHeaderFilter;
  requestMirror?: HTTPRequestMirrorFilter;
  requestRedirect?: HTTPRequestRedirectFilter;
  urlRewrite?: HTTPURLRewriteFilter;
  extensionRef?: { group: string; kind: string; name: string };
}
export interface HTTPBackendRef extends BackendObjectReference {
  weight?: number;
  filters?: HTTPRouteFilter[];
}
export interface HTTPRouteTimeouts {
  request?: string;
  backendRequest?: string;
}
export interface HTTPRouteRule {
  name?: string;
  matches?: HTTPRouteMatch[];
  filters?: HTTPRouteFilter[];
  backendRefs?: HTTPBackendRef[];
  timeouts?: HTTPRouteTimeouts;
}
export interface HTTPRouteSpec {
  parentRefs?: ParentReference[];
  hostnames?: string[];
  rules?: HTTPRouteRule[];
}
export type KubernetesHTTPRoute = Resource<'HTTPRoute', HTTPRouteSpec>;

// ── ReferenceGrant ──────────────────────────────────────────────────────────────
export interface ReferenceGrantSpec {
  from: { group: string; kind: string; namespace: string }[];
  to: { group: string; kind: string; name?: string }[];
}
export type ReferenceGrant = Resource<'ReferenceGrant', ReferenceGrantSpec>;

/** Every Gateway API object Trellis stores. */
export type GatewayApiConfig = GatewayClass | KubernetesGateway | KubernetesHTTPRoute | ReferenceGrant;
