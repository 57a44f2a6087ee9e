import type { ClusterLoadAssignment, LbEndpoint } from '@trellis/mesh-envoy';
import type { OutboundClusterPlan } from './cluster-plan';
import { endpointMetadata, type EndpointMetadataInput } from './endpoint-metadata';
import type { MeshEndpoint } from './services';

function lbEndpoint(e: MeshEndpoint, meta?: EndpointMetadataInput): LbEndpoint {
  const metadata = meta && endpointMetadata(e, meta);
  return {
    endpoint: { address: { socket_address: { address: e.address, port_value: e.port } } },
    health_status: 'HEALTHY',
    load_balancing_weight: { value: e.weight },
    ...(metadata && { metadata }),
  };
}

/**
 * A ClusterLoadAssignment with all endpoints in one (empty) locality whose weight is explicit —
 * gRPC clients skip localities without one. No endpoints → no locality at all.
 */
export function loadAssignment(clusterName: string, endpoints: readonly MeshEndpoint[], meta?: EndpointMetadataInput): ClusterLoadAssignment {
  if (endpoints.length === 0) return { cluster_name: clusterName, endpoints: [] };
  const weight = endpoints.reduce((sum, e) => sum + e.weight, 0);
  return {
    cluster_name: clusterName,
    endpoints: [
      {
        locality: { region: '', zone: '', sub_zone: '' },
        load_balancing_weight: { value: Math.max(1, weight) },
        lb_endpoints: endpoints.map((e) => lbEndpoint(e, meta)),
      },
    ],
  };
}

/**
 * EDS: one CLA per EDS cluster (STATIC/STRICT_DNS clusters carry their endpoints inline). With `meta`
 * (mTLS emission on) endpoints carry Istio's metadata (tlsMode, workload).
 */
export function outboundLoadAssignments(plans: readonly OutboundClusterPlan[], meta?: EndpointMetadataInput): ClusterLoadAssignment[] {
  return plans.filter((p) => p.service.discovery === 'EDS').map((p) => loadAssignment(p.name, p.endpoints, meta));
}

/** "127.0.0.1:41234" → address and port; a bare port or missing value falls back to loopback:`port`. */
export function parseHostPort(value: string | undefined, fallbackPort: number): { address: string; port: number } {
  if (value === undefined || value === '') return { address: '127.0.0.1', port: fallbackPort };
  const colon = value.lastIndexOf(':');
  if (colon < 0) return { address: value, port: fallbackPort };
  const host = value.slice(0, colon).replace(/^\[(.*)\]$/, '$1');
  const port = Number(value.slice(colon + 1));
  return { address: host === '' ? '127.0.0.1' : host, port: Number.isInteger(port) && port > 0 ? port : fallbackPort };
}
