/** Kubernetes-style object envelope shared by every Istio resource. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
}

export interface Resource<K extends string, S> {
  apiVersion: string;
  kind: K;
  metadata: ObjectMeta;
  spec: S;
  status?: Record<string, unknown>;
}

/**
 * Any Kubernetes-shaped object whose kind and spec are not checked yet: a manifest as submitted, an
 * object read back from a cluster before validation. `validateConfig` turns these into IstioConfig.
 */
export type AnyResource = Resource<string, unknown>;

/** Istio's duration strings: "7s", "0.5s", "100ms", "1m", "1h". */
export type DurationString = string;

export interface Percent {
  value: number;
}

export interface StringMatch {
  exact?: string;
  prefix?: string;
  regex?: string;
}

export interface PortSelector {
  number: number;
}

/** `istio.type.v1beta1.WorkloadSelector`: security policies' and Telemetry's `selector`, DestinationRule's `workloadSelector`. */
export interface WorkloadSelector {
  matchLabels?: Record<string, string>;
}

/** networking.v1alpha3's own `WorkloadSelector` (Sidecar, ServiceEntry, EnvoyFilter): `labels`, not `matchLabels`. */
export interface LabelsSelector {
  labels?: Record<string, string>;
}
