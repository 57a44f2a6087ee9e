/**
 * The details pages' bodies: an app (its workloads and Services), a workload (pods, Services) and the
 * Kubernetes-like Service object the Service page and its wizards read. Pods have what the registry
 * knows: name, labels, readiness, sidecar.
 */
import type { InventoryService, InventoryWorkload } from '@trellis/kiali-traffic';
import { selects, serviceInMesh, workloadOverview, type Dated } from './lists';

export function appDetails(namespace: string, app: string, workloads: readonly InventoryWorkload[], services: readonly InventoryService[]): Record<string, unknown> {
  const mine = workloads.filter((w) => w.app === app);
  return {
    namespace: { name: namespace },
    name: app,
    workloads: mine.map((w) => ({ workloadName: w.name, istioSidecar: w.sidecar, labels: { ...w.labels }, serviceAccountNames: [w.serviceAccount] })),
    serviceNames: services.filter((s) => mine.some((w) => selects(s.selector, w.labels))).map((s) => s.name),
    runtimes: [],
  };
}

export function serviceObject(s: InventoryService, dated: Dated): Record<string, unknown> {
  return {
    name: s.name,
    namespace: { name: s.namespace },
    createdAt: dated(`service/${s.namespace}/${s.name}`),
    resourceVersion: '1',
    type: 'ClusterIP',
    ip: '',
    externalName: '',
    labels: { ...s.labels },
    selectors: { ...s.selector },
    ports: s.ports.map((p) => ({ name: p.name, port: p.port, protocol: 'TCP' })),
  };
}

function pod(w: InventoryWorkload, p: InventoryWorkload['pods'][number], dated: Dated): Record<string, unknown> {
  const replicaSet = p.name.replace(/-[^-]+$/, '');
  return {
    name: p.name,
    labels: { ...w.labels },
    createdAt: dated(`pod/${w.namespace}/${p.name}`),
    createdBy: replicaSet === p.name ? [] : [{ name: replicaSet, kind: 'ReplicaSet' }],
    containers: [{ name: w.app ?? w.name, image: '', isProxy: false, isReady: p.ready }],
    istioContainers: w.sidecar ? [{ name: 'istio-proxy', image: 'trellis/proxy', isProxy: true, isReady: p.ready }] : [],
    istioInitContainers: [],
    status: p.ready ? 'Running' : 'Pending',
    appLabel: w.app !== undefined,
    versionLabel: w.version !== undefined,
  };
}

export function workloadDetails(w: InventoryWorkload, services: readonly InventoryService[], dated: Dated): Record<string, unknown> {
  const ready = w.pods.filter((p) => p.ready).length;
  return {
    ...workloadOverview(w, dated),
    replicas: w.pods.length,
    availableReplicas: ready,
    unavailableReplicas: w.pods.length - ready,
    pods: w.pods.map((p) => pod(w, p, dated)),
    services: services.filter((s) => s.namespace === w.namespace && selects(s.selector, w.labels)).map((s) => serviceObject(s, dated)),
    runtimes: [],
    additionalDetails: [],
  };
}

export function serviceWorkloads(s: InventoryService, workloads: readonly InventoryWorkload[], dated: Dated): Record<string, unknown>[] {
  return workloads
    .filter((w) => w.namespace === s.namespace && selects(s.selector, w.labels))
    .map((w) => ({ name: w.name, type: 'Deployment', istioSidecar: w.sidecar, labels: { ...w.labels }, resourceVersion: '1', createdAt: dated(`workload/${w.namespace}/${w.name}`) }));
}

export { serviceInMesh };
