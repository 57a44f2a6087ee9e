/**
 * The Envoy v3 objects the proxy consumes: `@trellis/mesh-envoy`'s contract types (docs/xds-resources.md)
 * as received — deep readonly, every field optional — because they arrive untrusted and are checked by
 * the compilers in this folder. The names are the proxy's (`TypedConfig` for `Any`).
 */
import type * as E from '@trellis/mesh-envoy';
import type { Received } from '@trellis/mesh-envoy';

export type { XdsType } from '@trellis/mesh-envoy';

export type Duration = Received<E.Duration>;
export type UInt32Value = Received<E.UInt32Value>;
export type BoolValue = Received<E.BoolValue>;
export type FractionalPercent = Received<E.FractionalPercent>;
export type TypedConfig = Received<E.Any>;
export type SocketAddress = Received<E.SocketAddress>;
export type Address = Received<E.Address>;
export type Metadata = Received<E.Metadata>;

export type Listener = Received<E.Listener>;
export type FilterChain = Received<E.FilterChain>;
export type NetworkFilter = Received<E.NetworkFilter>;
export type ForwardClientCertDetails = E.ForwardClientCertDetails;
export type SetCurrentClientCertDetails = Received<E.SetCurrentClientCertDetails>;
export type HttpConnectionManager = Received<E.HttpConnectionManager>;
export type TcpProxy = Received<E.TcpProxy>;

export type RouteConfiguration = Received<E.RouteConfiguration>;
export type HeaderMutations = Received<E.HeaderMutations>;
export type VirtualHost = Received<E.VirtualHost>;
export type HeaderValueOption = Received<E.HeaderValueOption>;
export type RegexMatcher = Received<E.RegexMatcher>;
export type StringMatcher = Received<E.StringMatcher>;
export type HeaderMatcher = Received<E.HeaderMatcher>;
export type RouteMatch = Received<E.RouteMatch>;
export type Route = Received<E.Route>;
export type WeightedCluster = Received<E.ClusterWeight>;
export type RouteAction = Received<E.RouteAction>;
export type RetryPolicy = Received<E.RetryPolicy>;
export type HashPolicy = Received<E.HashPolicy>;
export type RedirectResponseCode = E.RedirectResponseCode;
export type RedirectAction = Received<E.RedirectAction>;
export type HttpFault = Received<E.HttpFault>;
export type HttpFilterEntry = Received<E.HttpFilter>;
export type LocalRateLimit = Received<E.LocalRateLimit>;

export type Cluster = Received<E.Cluster>;
export type CircuitBreakerThresholds = Received<E.CircuitBreakerThresholds>;
export type OutlierDetection = Received<E.OutlierDetection>;
export type HttpProtocolOptions = Received<E.HttpProtocolOptions>;
export type TransportSocket = Received<E.TransportSocket>;
export type UpstreamTlsContext = Received<E.UpstreamTlsContext>;
export type DownstreamTlsContext = Received<E.DownstreamTlsContext>;
export type CommonTlsContext = Received<E.CommonTlsContext>;
export type SdsSecretConfig = Received<E.SdsSecretConfig>;
export type TransportSocketMatch = Received<E.TransportSocketMatch>;
export type CertificateValidationContext = Received<E.CertificateValidationContext>;
export type DataSource = Received<E.DataSource>;

export type ClusterLoadAssignment = Received<E.ClusterLoadAssignment>;
export type LocalityLbEndpoints = Received<E.LocalityLbEndpoints>;
export type LbEndpoint = Received<E.LbEndpoint>;
