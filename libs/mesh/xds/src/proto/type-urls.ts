/** The four xDS resource types Trellis serves, by short name (istioctl's spelling). */
export type XdsTypeShort = 'CDS' | 'EDS' | 'LDS' | 'RDS';

export const TYPE_PREFIX = 'type.googleapis.com/';

export const TYPE_URLS: Readonly<Record<XdsTypeShort, string>> = {
  LDS: `${TYPE_PREFIX}envoy.config.listener.v3.Listener`,
  RDS: `${TYPE_PREFIX}envoy.config.route.v3.RouteConfiguration`,
  CDS: `${TYPE_PREFIX}envoy.config.cluster.v3.Cluster`,
  EDS: `${TYPE_PREFIX}envoy.config.endpoint.v3.ClusterLoadAssignment`,
};

/** Push order (istiod's PushOrder, go-control-plane's ResponseType order): CDS → EDS → LDS → RDS. */
export const PUSH_ORDER: readonly XdsTypeShort[] = ['CDS', 'EDS', 'LDS', 'RDS'];

/** Full-state types: every response carries every resource the client should have. */
export function isFullStateType(type: XdsTypeShort): boolean {
  return type === 'LDS' || type === 'CDS';
}

export function typeShortOf(typeUrl: string): XdsTypeShort | undefined {
  for (const short of PUSH_ORDER) {
    if (TYPE_URLS[short] === typeUrl) return short;
  }
  return undefined;
}

/** Frequently embedded Any types. */
export const ANY_TYPES = {
  httpConnectionManager: `${TYPE_PREFIX}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`,
  router: `${TYPE_PREFIX}envoy.extensions.filters.http.router.v3.Router`,
  fault: `${TYPE_PREFIX}envoy.extensions.filters.http.fault.v3.HTTPFault`,
  httpProtocolOptions: `${TYPE_PREFIX}envoy.extensions.upstreams.http.v3.HttpProtocolOptions`,
  previousHosts: `${TYPE_PREFIX}envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate`,
  tcpProxy: `${TYPE_PREFIX}envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy`,
} as const;
