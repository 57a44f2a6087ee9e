/**
 * The service registry as the translator sees it: Kubernetes-shaped Services and the workload
 * instances behind them. Local mode and Kubernetes mode both produce exactly these values.
 */
/** `AUTO`: not declared — detected per connection (HTTP/1.x, h2c, else TCP), as Istio does. */
export type ServiceProtocol = 'HTTP' | 'HTTP2' | 'GRPC' | 'TCP' | 'HTTPS' | 'TLS' | 'AUTO';

export interface ServicePortSpec {
  /** Port name, e.g. `http` (Istio infers the protocol from the name prefix). */
  name: string;
  port: number;
  targetPort: number;
  protocol: ServiceProtocol;
}

export interface MeshService {
  name: string;
  namespace: string;
  /** Fully qualified host, e.g. `reviews.default.svc.cluster.local`. */
  hostname: string;
  ports: ServicePortSpec[];
  /** Workload label selector (Kubernetes `spec.selector`). */
  selector: Record<string, string>;
  /** Optional cluster IP / VIP (Kubernetes) — informational in local mode. */
  address?: string;
  labels?: Record<string, string>;
  /**
   * Istio's `networking.istio.io/exportTo` annotation, split at commas: `.` = own namespace, `*` =
   * every namespace, `~` = none, else namespace names. Absent = meshConfig.defaultServiceExportTo, else `*`.
   */
  exportTo?: string[];
}

export interface WorkloadInstance {
  /** Pod name, e.g. `reviews-v2-7d79d5bd5d-8zzqd`. */
  name: string;
  namespace: string;
  /** Address the workload is reachable at (its sidecar's inbound listener when in the mesh). */
  address: string;
  /** Port overrides for the pod: target port → actual port (local mode gives each pod its own). */
  ports?: Record<string, number>;
  labels: Record<string, string>;
  serviceAccount: string;
  /** True when a sidecar fronts this workload (mTLS, inbound listener). */
  sidecar: boolean;
  ready: boolean;
}
