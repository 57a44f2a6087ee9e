/**
 * Who this proxy is, as Envoy's bootstrap `node` and Istio's node metadata say (NAME, NAMESPACE,
 * LABELS, SERVICE_ACCOUNT, CLUSTER_ID, …): what telemetry reports about the local side — the
 * standard metrics, peer metadata exchange, span service names.
 */
export interface ProxyNode {
  /** Envoy node id (`sidecar~10.0.0.7~reviews-v1-abc.default~default.svc.cluster.local`). */
  readonly id: string;
  /** Envoy node cluster (`reviews.default`; gateways `istio-ingressgateway`): Envoy's service name in spans. */
  readonly cluster: string;
  /** Pod name. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount: string;
  /** Istio's cluster id (`Kubernetes`). */
  readonly clusterId: string;
  readonly instanceIp: string;
}

/** The node of a proxy started without one (tests): nothing known, telemetry reports `unknown`. */
export const UNKNOWN_NODE: ProxyNode = { id: '', cluster: '', name: '', namespace: '', labels: {}, serviceAccount: '', clusterId: '', instanceIp: '' };
