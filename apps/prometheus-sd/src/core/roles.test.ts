import { endpointsGroups } from './endpoints';
import type { SdEndpoints, SdNode, SdPod, SdService } from './kube-objects';
import { nodeGroups } from './node';
import { serviceGroups } from './service';

const svc: SdService = {
  metadata: { name: 'reviews', namespace: 'default', labels: { app: 'reviews' }, annotations: { 'prometheus.io/scrape': 'true' } },
  spec: { type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 9080, protocol: 'TCP' }] },
};
const pod: SdPod = {
  metadata: { name: 'reviews-v1-x', namespace: 'default', labels: { app: 'reviews' } },
  spec: { containers: [{ name: 'reviews', image: 'r', ports: [{ containerPort: 9080, protocol: 'TCP' }] }, { name: 'istio-proxy', image: 'p', ports: [{ name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' }] }] },
  status: { podIP: '10.244.0.7', phase: 'Running' },
};

describe('serviceGroups (role: service)', () => {
  it('addresses <name>.<ns>.svc:<port> with the Service labels and annotations', () => {
    expect(serviceGroups(svc)).toEqual([
      {
        targets: ['reviews.default.svc:9080'],
        labels: {
          __meta_kubernetes_namespace: 'default',
          __meta_kubernetes_service_annotation_prometheus_io_scrape: 'true',
          __meta_kubernetes_service_annotationpresent_prometheus_io_scrape: 'true',
          __meta_kubernetes_service_cluster_ip: '10.96.0.20',
          __meta_kubernetes_service_label_app: 'reviews',
          __meta_kubernetes_service_labelpresent_app: 'true',
          __meta_kubernetes_service_name: 'reviews',
          __meta_kubernetes_service_port_name: 'http',
          __meta_kubernetes_service_port_number: '9080',
          __meta_kubernetes_service_port_protocol: 'TCP',
          __meta_kubernetes_service_type: 'ClusterIP',
        },
      },
    ]);
    const ext = serviceGroups({ ...svc, spec: { type: 'ExternalName', externalName: 'x.example.com', ports: [{ port: 80 }] } });
    expect(ext[0]?.labels).toMatchObject({ __meta_kubernetes_service_external_name: 'x.example.com' });
    expect(ext[0]?.labels).not.toHaveProperty('__meta_kubernetes_service_cluster_ip');
  });
});

describe('endpointsGroups (role: endpoints)', () => {
  const eps: SdEndpoints = {
    metadata: { name: 'reviews', namespace: 'default', labels: { app: 'reviews' } },
    subsets: [
      {
        addresses: [{ ip: '10.244.0.7', nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'reviews-v1-x', namespace: 'default' } }],
        notReadyAddresses: [{ ip: '10.244.0.9', hostname: 'h' }],
        ports: [{ name: 'http', port: 9080, protocol: 'TCP' }],
      },
    ],
  };
  const groups = endpointsGroups(eps, { service: (ns, n) => (ns === 'default' && n === 'reviews' ? svc : undefined), pod: (ns, n) => (ns === 'default' && n === 'reviews-v1-x' ? pod : undefined) });

  it('one target per address and port, plus the pod container ports no endpoint port covers', () => {
    expect(groups.map((g) => g.targets[0])).toEqual(['10.244.0.7:9080', '10.244.0.9:9080', '10.244.0.7:15090']);
  });

  it('carries the endpoint, Service, Endpoints and pod labels', () => {
    expect(groups[0]?.labels).toMatchObject({
      __meta_kubernetes_namespace: 'default',
      __meta_kubernetes_endpoints_name: 'reviews',
      __meta_kubernetes_endpoints_label_app: 'reviews',
      __meta_kubernetes_endpoints_labelpresent_app: 'true',
      __meta_kubernetes_service_name: 'reviews',
      __meta_kubernetes_service_annotation_prometheus_io_scrape: 'true',
      __meta_kubernetes_endpoint_port_name: 'http',
      __meta_kubernetes_endpoint_port_protocol: 'TCP',
      __meta_kubernetes_endpoint_ready: 'true',
      __meta_kubernetes_endpoint_node_name: 'node-1',
      __meta_kubernetes_endpoint_address_target_kind: 'Pod',
      __meta_kubernetes_endpoint_address_target_name: 'reviews-v1-x',
      __meta_kubernetes_pod_name: 'reviews-v1-x',
      __meta_kubernetes_pod_container_name: 'reviews',
      __meta_kubernetes_pod_container_port_number: '9080',
    });
    expect(groups[1]?.labels).toMatchObject({ __meta_kubernetes_endpoint_ready: 'false', __meta_kubernetes_endpoint_hostname: 'h' });
    expect(groups[1]?.labels).not.toHaveProperty('__meta_kubernetes_pod_name');
    expect(groups[2]?.labels).toMatchObject({ __meta_kubernetes_pod_container_name: 'istio-proxy', __meta_kubernetes_pod_container_port_name: 'http-envoy-prom', __meta_kubernetes_service_name: 'reviews' });
    expect(groups[2]?.labels).not.toHaveProperty('__meta_kubernetes_endpoint_port_name');
  });
});

describe('nodeGroups (role: node)', () => {
  const node: SdNode = {
    metadata: { name: 'node-1', labels: { 'kubernetes.io/hostname': 'node-1' } },
    spec: { providerID: '' },
    status: { addresses: [{ type: 'Hostname', address: 'node-1' }, { type: 'InternalIP', address: '192.168.1.5' }], daemonEndpoints: { kubeletEndpoint: { Port: 10250 } } },
  };

  it('the kubelet at the InternalIP, instance = node name, one address label per type', () => {
    expect(nodeGroups(node)).toEqual([
      {
        targets: ['192.168.1.5:10250'],
        labels: {
          __meta_kubernetes_node_address_Hostname: 'node-1',
          __meta_kubernetes_node_address_InternalIP: '192.168.1.5',
          __meta_kubernetes_node_label_kubernetes_io_hostname: 'node-1',
          __meta_kubernetes_node_labelpresent_kubernetes_io_hostname: 'true',
          __meta_kubernetes_node_name: 'node-1',
          __meta_kubernetes_node_provider_id: '',
          instance: 'node-1',
        },
      },
    ]);
    expect(nodeGroups({ ...node, status: {} })).toEqual([]);
  });
});
