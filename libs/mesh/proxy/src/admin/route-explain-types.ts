/**
 * What the admin's `GET /trellis/route` answers (Trellis's own endpoint; Envoy has none): where a
 * request would go, decided by the proxy's compiled listeners and route tables in force. `trellis x
 * route` renders it. Field names are stable: the CLI's `-o json|yaml` prints this document.
 */

/** The synthetic request: never sent. */
export interface RouteQuery {
  /** :authority as the client sends it (`reviews:9080`). */
  readonly host: string;
  /** Origin-form path with its query. */
  readonly path: string;
  readonly method: string;
  /** Request headers, names lower-cased, in the order given. */
  readonly headers: readonly (readonly [string, string])[];
  /** The port of the listener the request arrives on; undefined = the proxy's usual entry (below). */
  readonly port: number | undefined;
}

/** Where resolution stopped when nothing serves the request. */
export type RouteStage = 'listener' | 'filter_chain' | 'route_config' | 'virtual_host' | 'route' | 'cluster' | 'endpoints';

/** The answer the data path would give instead of forwarding (Envoy's local reply). */
export interface RouteFailure {
  readonly stage: RouteStage;
  readonly status: number;
  /** Envoy's response flag (`NR`, `NC`, `UH`). */
  readonly flag: string;
  /** %RESPONSE_CODE_DETAILS%. */
  readonly details: string;
  readonly message: string;
  /** What was there instead: listener ports, virtual hosts with their domains, or routes. */
  readonly candidates: readonly string[];
}

export interface ListenerStep {
  readonly name: string;
  readonly address: string;
  readonly port: number;
  readonly direction: string;
  /** How the HTTP connection manager was reached: the listener's own, a per-port listener, a filter chain, the passthrough. */
  readonly via: string;
  /** The listener (or filter chain's listener) whose HCM routes the request. */
  readonly hcmListener: string;
  readonly statPrefix: string;
  /** `http_filters` in order, the router last. */
  readonly httpFilters: readonly string[];
}

export interface EndpointStep {
  readonly address: string;
  /** `HEALTHY`, `UNHEALTHY` (EDS) or `EJECTED` (outlier detection): only HEALTHY ones are picked. */
  readonly health: 'HEALTHY' | 'UNHEALTHY' | 'EJECTED';
  readonly weight: number;
}

export interface ClusterChoice {
  readonly name: string;
  /** Parsed from Istio's cluster name `direction|port|subset|host`; empty when not of that shape. */
  readonly direction: string;
  readonly port: string;
  readonly subset: string;
  readonly service: string;
  /** Weighted routes: this cluster's weight and share of the total; a single cluster: undefined. */
  readonly weight: number | undefined;
  readonly percent: number | undefined;
  /** false: the route names a cluster the proxy does not have (503 NC when picked). */
  readonly known: boolean;
  readonly type: string | undefined;
  readonly lbPolicy: string | undefined;
  readonly endpoints: readonly EndpointStep[];
}

export interface FaultStep {
  readonly filter: string;
  readonly delayMs: number | undefined;
  readonly delayPercent: number | undefined;
  readonly abortHttpStatus: number | undefined;
  readonly abortGrpcStatus: number | undefined;
  readonly abortPercent: number | undefined;
}

export interface RetryStep {
  readonly attempts: number;
  readonly retryOn: string;
  readonly perTryTimeoutMs: number;
  readonly retriableStatusCodes: readonly number[];
}

export interface RouteStep {
  /** The route's name (Istio: the VirtualService http route's name, else `default`); '' when unnamed. */
  readonly name: string;
  /** Index in its virtual host's routes. */
  readonly index: number;
  /** The route's `match` as configured (Envoy's RouteMatch JSON), and in one line. */
  readonly match: unknown;
  readonly matchSummary: string;
  /** Istio's `metadata.filter_metadata.istio.config` of the route: the VirtualService it came from. */
  readonly virtualService: string | undefined;
  readonly action: 'route' | 'redirect' | 'direct_response' | 'passthrough';
}

export interface ActionStep {
  readonly clusters: readonly ClusterChoice[];
  /** 0 = disabled (no timeout). */
  readonly timeoutMs: number;
  readonly retry: RetryStep | undefined;
  readonly mirrors: readonly { readonly cluster: string; readonly percent: number }[];
  readonly faults: readonly FaultStep[];
  readonly prefixRewrite: string | undefined;
  readonly hostRewrite: string | undefined;
  readonly redirect: { readonly status: number; readonly target: string } | undefined;
  readonly directResponse: { readonly status: number; readonly body: string } | undefined;
  /** Other `typed_per_filter_config` on the route (RBAC per route, local rate limit, …), by filter name. */
  readonly perFilterConfig: readonly string[];
}

export interface RouteExplanation {
  readonly proxy: { readonly mode: 'sidecar' | 'router' };
  readonly request: { readonly method: string; readonly host: string; readonly path: string; readonly headers: Readonly<Record<string, string>>; readonly port: number | undefined };
  readonly listener: ListenerStep | undefined;
  readonly routeConfig: string | undefined;
  readonly virtualHost: { readonly name: string; readonly domains: readonly string[] } | undefined;
  readonly route: RouteStep | undefined;
  readonly action: ActionStep | undefined;
  /** undefined: the request would be forwarded (or answered by its route's redirect/direct response). */
  readonly failure: RouteFailure | undefined;
}
