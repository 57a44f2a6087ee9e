import type { DestinationRule, Gateway, ServiceEntry, Sidecar, VirtualService } from './networking';
import type { AuthorizationPolicy, PeerAuthentication, RequestAuthentication } from './security';
import type { MeshService, WorkloadInstance } from './registry';
import type { TlsCredential } from './secret';
import type { MeshConfig } from './mesh-config';
import type { Telemetry } from './telemetry';
import type { EnvoyFilter } from './envoy-filter';

/**
 * Everything the translator may read, as one immutable value. Translation is a pure function of
 * (MeshSnapshot, ProxyInfo): nothing else is an input.
 */
export interface MeshSnapshot {
  /** Monotonic revision of the inputs, for logs and debug output. */
  readonly revision: number;
  readonly domainSuffix: string; // "cluster.local"
  readonly rootNamespace: string; // "istio-system"
  readonly gateways: readonly Gateway[];
  readonly virtualServices: readonly VirtualService[];
  readonly destinationRules: readonly DestinationRule[];
  readonly serviceEntries: readonly ServiceEntry[];
  readonly sidecars: readonly Sidecar[];
  readonly peerAuthentications: readonly PeerAuthentication[];
  readonly authorizationPolicies: readonly AuthorizationPolicy[];
  readonly requestAuthentications: readonly RequestAuthentication[];
  /** Telemetry API resources (istiod's `Telemetries`): access logging, tracing, metrics overrides. */
  readonly telemetries: readonly Telemetry[];
  /** EnvoyFilters (validated: only patches Trellis applies); absent = none. */
  readonly envoyFilters?: readonly EnvoyFilter[];
  readonly services: readonly MeshService[];
  readonly workloads: readonly WorkloadInstance[];
  /** Gateway credentials: the TLS material of Secrets (`credentialName`); absent = none. */
  readonly credentials?: readonly TlsCredential[];
  /** Istio's MeshConfig (extensionProviders, access logs, tracing); absent = Istio's defaults. */
  readonly meshConfig?: MeshConfig;
  /**
   * JWKS documents fetched by the control plane, by RequestAuthentication `jwksUri` (the JSON text,
   * last good kept). A `jwksUri` missing here has not been fetched yet: its tokens cannot verify.
   */
  readonly jwks?: Readonly<Record<string, string>>;
}

export type ProxyType = 'sidecar' | 'router';

/** What the control plane knows about a connected proxy (from its xDS node id and metadata). */
export interface ProxyInfo {
  /** Envoy node id: `sidecar~10.244.0.7~reviews-v1-abc-def.default~default.svc.cluster.local`. */
  readonly id: string;
  readonly type: ProxyType;
  readonly ipAddress: string;
  /** Pod name (local mode: the workload instance name). */
  readonly workloadName: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
  /** Proxyless gRPC client (`grpc` generator flavour). */
  readonly generator?: 'envoy' | 'grpc';
  /**
   * REDIRECT: iptables capture (Kubernetes) — outbound on 15001, inbound on 15006.
   * NONE: no capture (local mode) — inbound listeners bind the pod address and service port
   * directly, outbound is reached as an HTTP proxy on the pod address, port 15001.
   */
  readonly interception: 'REDIRECT' | 'NONE';
  /** Where the app listens, per target port ("9080" → "127.0.0.1:41234"); default 127.0.0.1:<port>. */
  readonly appEndpoints?: Readonly<Record<string, string>>;
  /**
   * The proxy's ProxyConfig overrides (node metadata PROXY_CONFIG: the pod's `proxy.istio.io/config`
   * annotation as Istio's agent sends it); only what translation reads. Absent = meshConfig.defaultConfig.
   */
  readonly proxyConfig?: ProxyConfigOverrides;
  /** Node metadata `HTTP10: "1"` (the agent's `ISTIO_META_HTTP10`): this proxy's HCMs accept HTTP/1.0. */
  readonly http10?: boolean;
}

/** The ProxyConfig fields translation reads (istiod: proxy.Metadata.ProxyConfig). */
export interface ProxyConfigOverrides {
  readonly tracing?: { readonly sampling?: number; readonly maxPathTagLength?: number };
}

export function emptySnapshot(): MeshSnapshot {
  return {
    revision: 0,
    domainSuffix: 'cluster.local',
    rootNamespace: 'istio-system',
    gateways: [],
    virtualServices: [],
    destinationRules: [],
    serviceEntries: [],
    sidecars: [],
    peerAuthentications: [],
    authorizationPolicies: [],
    requestAuthentications: [],
    telemetries: [],
    services: [],
    workloads: [],
  };
}
