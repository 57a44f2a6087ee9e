import type { DurationString, LabelsSelector, Percent, PortSelector, Resource, StringMatch, WorkloadSelector } from './meta';

// ── Gateway ────────────────────────────────────────────────────────────────────
export interface GatewayPort {
  number: number;
  name: string;
  protocol: 'HTTP' | 'HTTPS' | 'HTTP2' | 'GRPC' | 'TCP' | 'TLS' | 'MONGO';
  targetPort?: number;
}
export interface ServerTLSSettings {
  httpsRedirect?: boolean;
  mode?: 'PASSTHROUGH' | 'SIMPLE' | 'MUTUAL' | 'AUTO_PASSTHROUGH' | 'ISTIO_MUTUAL' | 'OPTIONAL_MUTUAL';
  credentialName?: string;
  serverCertificate?: string;
  privateKey?: string;
  caCertificates?: string;
  /** MUTUAL: client certificates must carry one of these SANs. */
  subjectAltNames?: string[];
}
export interface GatewayServer {
  port: GatewayPort;
  bind?: string;
  hosts: string[];
  tls?: ServerTLSSettings;
  name?: string;
}
export interface GatewaySpec {
  selector?: Record<string, string>;
  servers: GatewayServer[];
}
export type Gateway = Resource<'Gateway', GatewaySpec>;

// ── VirtualService ─────────────────────────────────────────────────────────────
export interface Destination {
  host: string;
  subset?: string;
  port?: PortSelector;
}
export interface HTTPRouteDestination {
  destination: Destination;
  weight?: number;
  headers?: Headers;
}
export interface HeaderOperations {
  set?: Record<string, string>;
  add?: Record<string, string>;
  remove?: string[];
}
export interface Headers {
  request?: HeaderOperations;
  response?: HeaderOperations;
}
export interface HTTPMatchRequest {
  name?: string;
  uri?: StringMatch;
  scheme?: StringMatch;
  method?: StringMatch;
  authority?: StringMatch;
  headers?: Record<string, StringMatch>;
  queryParams?: Record<string, StringMatch>;
  port?: number;
  sourceLabels?: Record<string, string>;
  gateways?: string[];
  ignoreUriCase?: boolean;
  withoutHeaders?: Record<string, StringMatch>;
  sourceNamespace?: string;
}
export interface HTTPRedirect {
  uri?: string;
  authority?: string;
  port?: number;
  scheme?: string;
  redirectCode?: number;
}
export interface HTTPDirectResponse {
  status: number;
  body?: { string?: string; bytes?: string };
}
export interface HTTPRewrite {
  uri?: string;
  authority?: string;
}
export interface HTTPRetry {
  attempts?: number;
  perTryTimeout?: DurationString;
  retryOn?: string;
  retryRemoteLocalities?: boolean;
}
export interface HTTPFaultInjection {
  delay?: { fixedDelay?: DurationString; percentage?: Percent; percent?: number };
  abort?: { httpStatus?: number; grpcStatus?: string; percentage?: Percent };
}
export interface CorsPolicy {
  allowOrigins?: StringMatch[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: DurationString;
  allowCredentials?: boolean;
}
export interface HTTPRoute {
  name?: string;
  match?: HTTPMatchRequest[];
  route?: HTTPRouteDestination[];
  redirect?: HTTPRedirect;
  directResponse?: HTTPDirectResponse;
  rewrite?: HTTPRewrite;
  timeout?: DurationString;
  retries?: HTTPRetry;
  fault?: HTTPFaultInjection;
  mirror?: Destination;
  /** Several mirror destinations, each with its own percentage (Istio 1.18+). */
  mirrors?: { destination: Destination; percentage?: Percent }[];
  mirrorPercentage?: Percent;
  /** Deprecated integer percentage of `mirror` (istiod still honours it when `mirrorPercentage` is absent). */
  mirrorPercent?: number;
  corsPolicy?: CorsPolicy;
  headers?: Headers;
}
export interface TCPRoute {
  match?: { port?: number; destinationSubnets?: string[]; sourceLabels?: Record<string, string>; gateways?: string[] }[];
  route?: { destination: Destination; weight?: number }[];
}
export interface TLSRoute {
  match: { sniHosts: string[]; port?: number; gateways?: string[] }[];
  route?: { destination: Destination; weight?: number }[];
}
export interface VirtualServiceSpec {
  hosts?: string[];
  gateways?: string[];
  http?: HTTPRoute[];
  tls?: TLSRoute[];
  tcp?: TCPRoute[];
  exportTo?: string[];
}
export type VirtualService = Resource<'VirtualService', VirtualServiceSpec>;

// ── DestinationRule ────────────────────────────────────────────────────────────
export interface LoadBalancerSettings {
  simple?: 'UNSPECIFIED' | 'LEAST_CONN' | 'RANDOM' | 'PASSTHROUGH' | 'ROUND_ROBIN' | 'LEAST_REQUEST';
  consistentHash?: {
    httpHeaderName?: string;
    httpCookie?: { name: string; path?: string; ttl?: DurationString };
    useSourceIp?: boolean;
    httpQueryParameterName?: string;
    minimumRingSize?: number;
  };
}
export interface ConnectionPoolSettings {
  tcp?: { maxConnections?: number; connectTimeout?: DurationString };
  http?: {
    http1MaxPendingRequests?: number;
    http2MaxRequests?: number;
    maxRequestsPerConnection?: number;
    maxRetries?: number;
    idleTimeout?: DurationString;
    h2UpgradePolicy?: 'DEFAULT' | 'DO_NOT_UPGRADE' | 'UPGRADE';
  };
}
export interface OutlierDetection {
  consecutiveErrors?: number;
  consecutive5xxErrors?: number;
  consecutiveGatewayErrors?: number;
  interval?: DurationString;
  baseEjectionTime?: DurationString;
  maxEjectionPercent?: number;
  minHealthPercent?: number;
}
/** DestinationRule `tls`: how the client side (this proxy) talks TLS to the destination. */
export interface ClientTLSSettings {
  mode?: 'DISABLE' | 'SIMPLE' | 'MUTUAL' | 'ISTIO_MUTUAL';
  /** MUTUAL: file paths on the proxy's file system. */
  clientCertificate?: string;
  privateKey?: string;
  /** File path of the CA bundle that verifies the server; unset = the system's roots. */
  caCertificates?: string;
  caCrl?: string;
  credentialName?: string;
  subjectAltNames?: string[];
  sni?: string;
  insecureSkipVerify?: boolean;
}
export interface PortTrafficPolicy {
  port?: PortSelector;
  loadBalancer?: LoadBalancerSettings;
  connectionPool?: ConnectionPoolSettings;
  outlierDetection?: OutlierDetection;
  tls?: ClientTLSSettings;
}
export interface TrafficPolicy {
  loadBalancer?: LoadBalancerSettings;
  connectionPool?: ConnectionPoolSettings;
  outlierDetection?: OutlierDetection;
  tls?: ClientTLSSettings;
  portLevelSettings?: PortTrafficPolicy[];
}
export interface Subset {
  name: string;
  labels?: Record<string, string>;
  trafficPolicy?: TrafficPolicy;
}
export interface DestinationRuleSpec {
  host: string;
  trafficPolicy?: TrafficPolicy;
  subsets?: Subset[];
  exportTo?: string[];
  workloadSelector?: WorkloadSelector;
}
export type DestinationRule = Resource<'DestinationRule', DestinationRuleSpec>;

// ── ServiceEntry ───────────────────────────────────────────────────────────────
export interface ServicePort {
  number: number;
  protocol?: string;
  name: string;
  targetPort?: number;
}
export interface WorkloadEntrySpec {
  address?: string;
  ports?: Record<string, number>;
  labels?: Record<string, string>;
  serviceAccount?: string;
  network?: string;
  locality?: string;
  weight?: number;
}
export interface ServiceEntrySpec {
  hosts: string[];
  addresses?: string[];
  ports?: ServicePort[];
  location?: 'MESH_EXTERNAL' | 'MESH_INTERNAL';
  resolution?: 'NONE' | 'STATIC' | 'DNS' | 'DNS_ROUND_ROBIN';
  endpoints?: WorkloadEntrySpec[];
  workloadSelector?: LabelsSelector;
  exportTo?: string[];
  subjectAltNames?: string[];
}
export type ServiceEntry = Resource<'ServiceEntry', ServiceEntrySpec>;

// ── Sidecar ────────────────────────────────────────────────────────────────────
export interface IstioEgressListener {
  port?: GatewayPort;
  bind?: string;
  captureMode?: 'DEFAULT' | 'IPTABLES' | 'NONE';
  hosts: string[];
}
export interface IstioIngressListener {
  port: GatewayPort;
  bind?: string;
  captureMode?: 'DEFAULT' | 'IPTABLES' | 'NONE';
  defaultEndpoint?: string;
}
export interface SidecarSpec {
  workloadSelector?: LabelsSelector;
  ingress?: IstioIngressListener[];
  egress?: IstioEgressListener[];
  outboundTrafficPolicy?: { mode?: 'REGISTRY_ONLY' | 'ALLOW_ANY' };
}
export type Sidecar = Resource<'Sidecar', SidecarSpec>;
