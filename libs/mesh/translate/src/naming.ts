/** Istio's resource names (pilot/pkg/model/service.go `BuildSubsetKey`, core/gateway.go). */

export type TrafficDirectionName = 'outbound' | 'inbound';

/** `outbound|9080|v1|reviews.default.svc.cluster.local`; `inbound|9080||`. */
export function subsetKey(direction: TrafficDirectionName, port: number, subset: string | undefined, host: string): string {
  return `${direction}|${port}|${subset ?? ''}|${host}`;
}

export function outboundClusterName(port: number, host: string, subset?: string): string {
  return subsetKey('outbound', port, subset, host);
}

export function inboundClusterName(port: number): string {
  return subsetKey('inbound', port, undefined, '');
}

/** `0.0.0.0_9080`, `10.0.0.7_9080`. */
export function listenerName(bind: string, port: number): string {
  return `${bind}_${port}`;
}

/** Outbound sidecar route configs are named by port: `"9080"`. */
export function outboundRouteName(port: number): string {
  return String(port);
}

/** Gateway HTTP route configs: `http.8080`. */
export function gatewayRouteName(port: number): string {
  return `http.${port}`;
}

export function virtualHostName(host: string, port: number): string {
  return `${host}:${port}`;
}

export function inboundVirtualHostName(port: number): string {
  return `inbound|http|${port}`;
}

export const VIRTUAL_OUTBOUND = 'virtualOutbound';
export const VIRTUAL_INBOUND = 'virtualInbound';
export const BLACKHOLE_CLUSTER = 'BlackHoleCluster';
export const PASSTHROUGH_CLUSTER = 'PassthroughCluster';
export const INBOUND_PASSTHROUGH_CLUSTER = 'InboundPassthroughCluster';
export const OUTBOUND_CAPTURE_PORT = 15001;
export const INBOUND_CAPTURE_PORT = 15006;
export const WILDCARD_ADDRESS = '0.0.0.0';

/** `/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews`. */
export function configPath(kind: 'virtual-service' | 'destination-rule' | 'gateway' | 'service-entry', namespace: string, name: string): string {
  return `/apis/networking.istio.io/v1/namespaces/${namespace}/${kind}/${name}`;
}
