import { DEFAULT_CAPTURE_OPTIONS, type CaptureOptions } from '../capture/options';
import type { ProxyConfigFields } from './proxy-config';
import type { ResourceRequirements } from './types';

/** Mesh-wide injection settings (the part of Istio's MeshConfig/values the template reads). */
export interface InjectMeshConfig {
  /** Image of the Trellis proxy; also runs the capture init container. */
  readonly proxyImage: string;
  /** Control plane ADS address for TRELLIS_XDS_ADDRESS (default `istiod.istio-system.svc:15010`). */
  readonly discoveryAddress?: string;
  /** Control plane revision recorded in the status annotation (default `default`). */
  readonly revision?: string;
  readonly imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Proxy container resources (default requests 100m/128Mi, limits 2000m/1024Mi). */
  readonly proxyResources?: ResourceRequirements;
  /** Proxy first + postStart wait, so apps start with a ready proxy (default true). */
  readonly holdApplicationUntilProxyStarts?: boolean;
  /** Rewrite `prometheus.io/*` to scrape the proxy (default true). */
  readonly prometheusMerge?: boolean;
  /** Sets TRELLIS_ACCESS_LOG when defined. */
  readonly accessLog?: boolean;
  /** Sets TRELLIS_DRAIN_MS when defined. */
  readonly drainMs?: number;
  /** Mesh-wide capture defaults; pods refine them with `traffic.sidecar.istio.io/*` annotations. */
  readonly capture?: Partial<CaptureOptions>;
  /** The CA for the sidecar's certificates, CA_ADDR (default `istiod.istio-system.svc:15012`). */
  readonly caAddress?: string;
  /**
   * Istio's `values.global.jwtPolicy`: `third-party-jwt` (default) projects the `istio-token`
   * (audience istio-ca); `first-party-jwt` for clusters that cannot project tokens (the agent then
   * uses the pod's legacy ServiceAccount token).
   */
  readonly jwtPolicy?: 'third-party-jwt' | 'first-party-jwt';
  /**
   * The mesh config's `defaultConfig` (the `istio` ConfigMap, read live): merged under each pod's
   * `proxy.istio.io/config` into PROXY_CONFIG (proxy-config.ts), e.g. `terminationDrainDuration`.
   */
  readonly defaultProxyConfig?: () => ProxyConfigFields | undefined;
}

export const DEFAULT_DISCOVERY_ADDRESS = 'istiod.istio-system.svc:15010';
export const DEFAULT_CA_ADDRESS = 'istiod.istio-system.svc:15012';

export const DEFAULT_PROXY_RESOURCES: ResourceRequirements = {
  requests: { cpu: '100m', memory: '128Mi' },
  limits: { cpu: '2000m', memory: '1024Mi' },
};

export interface ResolvedMeshConfig {
  readonly proxyImage: string;
  readonly discoveryAddress: string;
  readonly revision: string;
  readonly imagePullPolicy: string | undefined;
  readonly proxyResources: ResourceRequirements;
  readonly holdApplicationUntilProxyStarts: boolean;
  readonly prometheusMerge: boolean;
  readonly accessLog: boolean | undefined;
  readonly drainMs: number | undefined;
  readonly capture: CaptureOptions;
  readonly caAddress: string;
  readonly jwtPolicy: 'third-party-jwt' | 'first-party-jwt';
  readonly defaultProxyConfig: ProxyConfigFields | undefined;
}

export function resolveMeshConfig(c: InjectMeshConfig): ResolvedMeshConfig {
  return {
    proxyImage: c.proxyImage,
    discoveryAddress: c.discoveryAddress ?? DEFAULT_DISCOVERY_ADDRESS,
    revision: c.revision ?? 'default',
    imagePullPolicy: c.imagePullPolicy,
    proxyResources: c.proxyResources ?? DEFAULT_PROXY_RESOURCES,
    holdApplicationUntilProxyStarts: c.holdApplicationUntilProxyStarts ?? true,
    prometheusMerge: c.prometheusMerge ?? true,
    accessLog: c.accessLog,
    drainMs: c.drainMs,
    capture: { ...DEFAULT_CAPTURE_OPTIONS, ...c.capture },
    caAddress: c.caAddress ?? DEFAULT_CA_ADDRESS,
    jwtPolicy: c.jwtPolicy ?? 'third-party-jwt',
    defaultProxyConfig: c.defaultProxyConfig?.(),
  };
}
