import { namespaceOf } from './context';
import type { ConfigSource, Cluster, Metadata, LbPolicy } from '@trellis/mesh-envoy';
import type { OutboundClusterPlan } from './cluster-plan';
import { loadAssignment } from './endpoints';
import { BLACKHOLE_CLUSTER, configPath, INBOUND_PASSTHROUGH_CLUSTER, PASSTHROUGH_CLUSTER } from './naming';
import { isHttp2Port } from './services';
import { DEFAULT_CONNECT_TIMEOUT, policyClusterFields } from './traffic-policy';
import { INBOUND_PASSTHROUGH_BIND } from './inbound';
import { tcpClusterMetadataExchange } from './telemetry/tcp-metadata-exchange';

export const ADS: ConfigSource = { ads: {}, resource_api_version: 'V3' };

function clusterMetadata(plan: OutboundClusterPlan): Metadata {
  const svc = plan.service;
  const dr = plan.destinationRule;
  return {
    filter_metadata: {
      istio: {
        services: [{ host: svc.hostname, name: svc.name, namespace: svc.namespace }],
        ...(plan.subset !== undefined ? { subset: plan.subset } : {}),
        ...(dr ? { config: configPath('destination-rule', namespaceOf(dr), dr.metadata.name) } : {}),
      },
    },
  };
}

/** Discovery-specific fields: EDS config, inline endpoints (STATIC/STRICT_DNS), or original-dst. */
function discoveryFields(plan: OutboundClusterPlan): Pick<Cluster, 'type' | 'eds_cluster_config' | 'load_assignment'> {
  const type = plan.policy.loadBalancer?.simple === 'PASSTHROUGH' ? 'ORIGINAL_DST' : plan.service.discovery;
  switch (type) {
    case 'EDS':
      return { type, eds_cluster_config: { eds_config: ADS, service_name: plan.name } };
    case 'STATIC':
    case 'STRICT_DNS':
      return { type, load_assignment: loadAssignment(plan.name, plan.endpoints) };
    default:
      return { type: 'ORIGINAL_DST' };
  }
}

/** An outbound cluster from its plan, with the DestinationRule traffic policy applied. */
export function outboundCluster(plan: OutboundClusterPlan, fallbackLb: LbPolicy = 'LEAST_REQUEST'): Cluster {
  const discovery = discoveryFields(plan);
  const policy = policyClusterFields(plan.policy, isHttp2Port(plan.port), fallbackLb, plan.service.subjectAltNames, plan.mtls);
  if (discovery.type === 'ORIGINAL_DST') policy.lb_policy = 'CLUSTER_PROVIDED';
  return { name: plan.name, ...discovery, ...policy, metadata: clusterMetadata(plan), filters: [tcpClusterMetadataExchange()] };
}

export function outboundClusters(plans: readonly OutboundClusterPlan[]): Cluster[] {
  return plans.map((p) => outboundCluster(p));
}

/** BlackHoleCluster (STATIC, no endpoints) and PassthroughCluster (ORIGINAL_DST); sidecars also InboundPassthroughCluster (from 127.0.0.6 under REDIRECT). */
export function specialClusters(inbound: boolean, bindToPassthroughSource = false): Cluster[] {
  const clusters: Cluster[] = [
    { name: BLACKHOLE_CLUSTER, type: 'STATIC', connect_timeout: DEFAULT_CONNECT_TIMEOUT, load_assignment: { cluster_name: BLACKHOLE_CLUSTER, endpoints: [] } },
    { name: PASSTHROUGH_CLUSTER, type: 'ORIGINAL_DST', connect_timeout: DEFAULT_CONNECT_TIMEOUT, lb_policy: 'CLUSTER_PROVIDED', filters: [tcpClusterMetadataExchange()] },
  ];
  if (inbound) {
    clusters.push({
      name: INBOUND_PASSTHROUGH_CLUSTER,
      type: 'ORIGINAL_DST',
      connect_timeout: DEFAULT_CONNECT_TIMEOUT,
      lb_policy: 'CLUSTER_PROVIDED',
      ...(bindToPassthroughSource && { upstream_bind_config: INBOUND_PASSTHROUGH_BIND }),
    });
  }
  return clusters;
}
