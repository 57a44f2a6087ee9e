import type { SdPod } from './kube-objects';
import { sanitizeLabelName } from './labels';
import { podGroups } from './pod';

const productpage: SdPod = {
  metadata: {
    name: 'productpage-v1-6b746f74dc-9stvs',
    namespace: 'default',
    uid: 'a1b2',
    labels: { app: 'productpage', version: 'v1', 'security.istio.io/tlsMode': 'istio', 'pod-template-hash': '6b746f74dc' },
    annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020', 'prometheus.io/path': '/stats/prometheus' },
    ownerReferences: [
      { kind: 'Other', name: 'x' },
      { kind: 'ReplicaSet', name: 'productpage-v1-6b746f74dc', controller: true },
    ],
  },
  spec: {
    nodeName: 'node-1',
    initContainers: [{ name: 'istio-init', image: 'trellis/proxy:dev' }],
    containers: [
      { name: 'productpage', image: 'trellis/examples-bookinfo-productpage:dev', ports: [{ containerPort: 9080, protocol: 'TCP' }] },
      { name: 'istio-proxy', image: 'trellis/proxy:dev', ports: [{ name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' }] },
    ],
  },
  status: {
    phase: 'Running',
    podIP: '10.244.0.12',
    hostIP: '192.168.1.5',
    conditions: [{ type: 'Ready', status: 'True' }],
    containerStatuses: [{ name: 'productpage', containerID: 'docker://abc' }],
    initContainerStatuses: [{ name: 'istio-init', containerID: 'docker://def' }],
  },
};

describe('podGroups (Prometheus 2.42 role: pod)', () => {
  const groups = podGroups(productpage);

  it('one target per declared container port, and the pod IP alone for a container without ports (init containers too)', () => {
    expect(groups.map((g) => g.targets)).toEqual([['10.244.0.12:9080'], ['10.244.0.12:15090'], ['10.244.0.12']]);
  });

  it('labels a target exactly as Prometheus does', () => {
    expect(groups[1]?.labels).toEqual({
      __meta_kubernetes_namespace: 'default',
      __meta_kubernetes_pod_annotation_prometheus_io_path: '/stats/prometheus',
      __meta_kubernetes_pod_annotation_prometheus_io_port: '15020',
      __meta_kubernetes_pod_annotation_prometheus_io_scrape: 'true',
      __meta_kubernetes_pod_annotationpresent_prometheus_io_path: 'true',
      __meta_kubernetes_pod_annotationpresent_prometheus_io_port: 'true',
      __meta_kubernetes_pod_annotationpresent_prometheus_io_scrape: 'true',
      __meta_kubernetes_pod_container_id: '',
      __meta_kubernetes_pod_container_image: 'trellis/proxy:dev',
      __meta_kubernetes_pod_container_init: 'false',
      __meta_kubernetes_pod_container_name: 'istio-proxy',
      __meta_kubernetes_pod_container_port_name: 'http-envoy-prom',
      __meta_kubernetes_pod_container_port_number: '15090',
      __meta_kubernetes_pod_container_port_protocol: 'TCP',
      __meta_kubernetes_pod_controller_kind: 'ReplicaSet',
      __meta_kubernetes_pod_controller_name: 'productpage-v1-6b746f74dc',
      __meta_kubernetes_pod_host_ip: '192.168.1.5',
      __meta_kubernetes_pod_ip: '10.244.0.12',
      __meta_kubernetes_pod_label_app: 'productpage',
      __meta_kubernetes_pod_label_pod_template_hash: '6b746f74dc',
      __meta_kubernetes_pod_label_security_istio_io_tlsMode: 'istio',
      __meta_kubernetes_pod_label_version: 'v1',
      __meta_kubernetes_pod_labelpresent_app: 'true',
      __meta_kubernetes_pod_labelpresent_pod_template_hash: 'true',
      __meta_kubernetes_pod_labelpresent_security_istio_io_tlsMode: 'true',
      __meta_kubernetes_pod_labelpresent_version: 'true',
      __meta_kubernetes_pod_name: 'productpage-v1-6b746f74dc-9stvs',
      __meta_kubernetes_pod_node_name: 'node-1',
      __meta_kubernetes_pod_phase: 'Running',
      __meta_kubernetes_pod_ready: 'true',
      __meta_kubernetes_pod_uid: 'a1b2',
    });
    expect(groups[0]?.labels).toMatchObject({ __meta_kubernetes_pod_container_id: 'docker://abc', __meta_kubernetes_pod_container_port_name: '' });
    expect(groups[2]?.labels).toMatchObject({ __meta_kubernetes_pod_container_name: 'istio-init', __meta_kubernetes_pod_container_init: 'true', __meta_kubernetes_pod_container_id: 'docker://def' });
    expect(groups[2]?.labels).not.toHaveProperty('__meta_kubernetes_pod_container_port_number');
  });

  it('no targets without a pod IP; ready is unknown without a Ready condition; IPv6 in brackets', () => {
    expect(podGroups({ ...productpage, status: { phase: 'Pending' } })).toEqual([]);
    const v6 = podGroups({ ...productpage, status: { podIP: 'fd00::5', phase: 'Running' } });
    expect(v6[0]?.targets).toEqual(['[fd00::5]:9080']);
    expect(v6[0]?.labels['__meta_kubernetes_pod_ready']).toBe('unknown');
  });

  it('sanitizes label names per code point, as Go does', () => {
    expect(sanitizeLabelName('app.kubernetes.io/name')).toBe('app_kubernetes_io_name');
    expect(sanitizeLabelName('é😀x')).toBe('__x');
  });
});
