import { effectivePeerAuthentication, mtlsModeForPort, type PeerAuthentication } from '@trellis/mesh-api';
import { TRANSPORT_SOCKET_MATCH_METADATA, type Metadata } from '@trellis/mesh-envoy';
import type { EndpointWorkload, MeshEndpoint } from './services';
import { ISTIO_TLS_MODE_MATCH } from './upstream-mtls';

/**
 * EDS endpoint metadata as istiod writes it (`util.AppendLbEndpointMetadata`): a sidecar-injected
 * endpoint carries `envoy.transport_socket_match: {tlsMode: istio}` (what auto mTLS's
 * `transport_socket_matches` select on) unless its own PeerAuthentication disables mTLS on that port
 * (endpoint_builder's mTLS check), and every workload endpoint `istio.workload` for telemetry.
 */

export interface EndpointMetadataInput {
  readonly peerAuthentications: readonly PeerAuthentication[];
  readonly rootNamespace: string;
}

/** `reviews-v1-7d79d5bd5d-8zzqd` → `reviews-v1` (Deployment pods); any other name as is. */
export function workloadNameOf(pod: string): string {
  return /^(.+)-[a-z0-9]{1,10}-[a-z0-9]{5}$/.exec(pod)?.[1] ?? pod;
}

function telemetry(w: EndpointWorkload, labels: Readonly<Record<string, string>>): string {
  const name = workloadNameOf(w.name);
  const service = labels['service.istio.io/canonical-name'] ?? labels['app.kubernetes.io/name'] ?? labels['app'] ?? name;
  const revision = labels['service.istio.io/canonical-revision'] ?? labels['app.kubernetes.io/version'] ?? labels['version'] ?? 'latest';
  return `${name};${w.namespace};${service};${revision};Kubernetes`;
}

function mtlsCapable(e: MeshEndpoint, w: EndpointWorkload, input: EndpointMetadataInput): boolean {
  if (!w.sidecar) return false;
  const eff = effectivePeerAuthentication(input.peerAuthentications, { namespace: w.namespace, labels: e.labels }, input.rootNamespace);
  return mtlsModeForPort(eff, w.targetPort) !== 'DISABLE';
}

/** The endpoint's metadata, or undefined for endpoints without a registry workload. */
export function endpointMetadata(e: MeshEndpoint, input: EndpointMetadataInput): Metadata | undefined {
  const w = e.workload;
  if (w === undefined) return undefined;
  return {
    filter_metadata: {
      ...(mtlsCapable(e, w, input) && { [TRANSPORT_SOCKET_MATCH_METADATA]: { ...ISTIO_TLS_MODE_MATCH } }),
      istio: { workload: telemetry(w, e.labels) },
    },
  };
}
