/** Plural and scope of the Gateway API kinds Trellis reads or writes, by their `kind` field. */
const RESOURCES: Readonly<Record<string, { plural: string; clusterScoped?: true }>> = {
  GatewayClass: { plural: 'gatewayclasses', clusterScoped: true },
  Gateway: { plural: 'gateways' },
  HTTPRoute: { plural: 'httproutes' },
  GRPCRoute: { plural: 'grpcroutes' },
  TCPRoute: { plural: 'tcproutes' },
  TLSRoute: { plural: 'tlsroutes' },
  ReferenceGrant: { plural: 'referencegrants' },
};

export const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

/**
 * `/apis/gateway.networking.k8s.io/<version>/[namespaces/<ns>/]<plural>/<name>` of an object given
 * its `apiVersion` and `kind`; undefined for a kind Trellis does not know.
 */
export function gatewayApiObjectPath(apiVersion: string, kind: string, namespace: string | undefined, name: string): string | undefined {
  const info = RESOURCES[kind];
  if (info === undefined || !apiVersion.startsWith(`${GATEWAY_API_GROUP}/`)) return undefined;
  const scope = info.clusterScoped === true || namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `/apis/${apiVersion}${scope}/${info.plural}/${encodeURIComponent(name)}`;
}

/** `ns/name`, or `name` for cluster-scoped kinds. */
export const gatewayApiKey = (kind: string, namespace: string | undefined, name: string): string =>
  RESOURCES[kind]?.clusterScoped === true || namespace === undefined ? `${kind}/${name}` : `${kind}/${namespace}/${name}`;
