/**
 * The part of Istio's MeshConfig (istio.mesh.v1alpha1, the `mesh` key of the `istio` ConfigMap in
 * istio-system; `trellis install --set meshConfig.<field>=…`; local mode: `<state>/mesh.yaml`) that
 * Trellis reads. Field names as Istio's YAML (camelCase). Unknown fields are kept and ignored.
 */

/** `extensionProviders[].envoyExtAuthzHttp` (CUSTOM AuthorizationPolicy over HTTP). */
export interface EnvoyExtAuthzHttpProvider {
  /** `<name>.<namespace>.svc.cluster.local` or a ServiceEntry host. */
  service: string;
  port: number;
  timeout?: string;
  pathPrefix?: string;
  failOpen?: boolean;
  statusOnError?: string;
  includeRequestHeadersInCheck?: string[];
  /** Deprecated; read only when includeRequestHeadersInCheck is unset. */
  includeHeadersInCheck?: string[];
  includeAdditionalHeadersInCheck?: Record<string, string>;
  headersToUpstreamOnAllow?: string[];
  headersToDownstreamOnDeny?: string[];
  headersToDownstreamOnAllow?: string[];
  includeRequestBodyInCheck?: { maxRequestBytes?: number; allowPartialMessage?: boolean; packAsBytes?: boolean };
}

/** `extensionProviders[].envoyExtAuthzGrpc` (CUSTOM AuthorizationPolicy over gRPC). */
export interface EnvoyExtAuthzGrpcProvider {
  service: string;
  port: number;
  timeout?: string;
  failOpen?: boolean;
  statusOnError?: string;
  includeRequestBodyInCheck?: { maxRequestBytes?: number; allowPartialMessage?: boolean; packAsBytes?: boolean };
}

/** `extensionProviders[].zipkin`. */
export interface ZipkinProvider {
  service: string;
  port: number;
  maxTagLength?: number;
  path?: string;
}

/** `extensionProviders[].opentelemetry` (OTLP; `http` set = OTLP/HTTP). */
export interface OpenTelemetryProvider {
  service: string;
  port: number;
  http?: { path?: string; timeout?: string };
}

/** `extensionProviders[].envoyFileAccessLog`. */
export interface EnvoyFileAccessLogProvider {
  path: string;
  logFormat?: { text?: string; labels?: Record<string, string> };
}

/** One `extensionProviders` entry: a name and exactly one provider kind. */
export interface ExtensionProvider {
  name: string;
  envoyExtAuthzHttp?: EnvoyExtAuthzHttpProvider;
  envoyExtAuthzGrpc?: EnvoyExtAuthzGrpcProvider;
  zipkin?: ZipkinProvider;
  opentelemetry?: OpenTelemetryProvider;
  envoyFileAccessLog?: EnvoyFileAccessLogProvider;
  prometheus?: Record<string, never>;
}

export interface MeshConfig {
  trustDomain?: string;
  rootNamespace?: string;
  accessLogFile?: string;
  accessLogEncoding?: 'TEXT' | 'JSON';
  accessLogFormat?: string;
  enableTracing?: boolean;
  defaultConfig?: {
    tracing?: { sampling?: number; zipkin?: { address?: string }; maxPathTagLength?: number };
    [field: string]: unknown;
  };
  extensionProviders?: ExtensionProvider[];
  defaultProviders?: { tracing?: string[]; metrics?: string[]; accessLogging?: string[] };
  /** The mesh-wide default a Sidecar's own `outboundTrafficPolicy` overrides (Istio's default ALLOW_ANY). */
  outboundTrafficPolicy?: { mode?: 'ALLOW_ANY' | 'REGISTRY_ONLY' };
  /** exportTo of Services / ServiceEntries that set none (Istio's default: every namespace). */
  defaultServiceExportTo?: string[];
  /** exportTo of VirtualServices that set none. */
  defaultVirtualServiceExportTo?: string[];
  /** exportTo of DestinationRules that set none. */
  defaultDestinationRuleExportTo?: string[];
  [field: string]: unknown;
}

/** Istio's defaults when nothing is configured. */
export function defaultMeshConfig(): MeshConfig {
  return { trustDomain: 'cluster.local', rootNamespace: 'istio-system', accessLogFile: '', accessLogEncoding: 'TEXT', enableTracing: true, extensionProviders: [] };
}
