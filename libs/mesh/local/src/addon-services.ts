/**
 * The observability addons in local mode, as `kubectl apply -f samples/addons` puts them in a cluster:
 * Services in istio-system backed by one workload each, so `zipkin.istio-system:9411` (Istio's default
 * Zipkin address) and `prometheus.istio-system:9090` resolve through the mesh like any Service. Each addon
 * runs on the control plane's address (its "node"), without a sidecar (`sidecar.istio.io/inject: "false"`
 * in the addon manifests), so the proxies reach it in plaintext.
 */
import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';
import type { KubeService } from './manifest';
import { toMeshService, type LocalPlan } from './plan';
import { podName } from './pod-names';

export type AddonName = 'prometheus' | 'zipkin' | 'kiali';
/** The addons the mesh reaches as Services (registered in the registry); Kiali is only reached by browsers. */
export type MeshAddonName = 'prometheus' | 'zipkin';

export const ADDON_NAMESPACE = 'istio-system';
export const ZIPKIN_PORT = 9411;
export const PROMETHEUS_PORT = 9090;

/** samples/addons/zipkin.yaml: Services `zipkin` (9411) and `tracing` (80 → 9411), pods labelled app=zipkin. */
const ZIPKIN_SERVICES: readonly KubeService[] = [
  { name: 'zipkin', namespace: ADDON_NAMESPACE, labels: { name: 'zipkin' }, selector: { app: 'zipkin' }, ports: [{ name: 'http-query', port: ZIPKIN_PORT, targetPort: ZIPKIN_PORT }] },
  { name: 'tracing', namespace: ADDON_NAMESPACE, labels: { app: 'zipkin' }, selector: { app: 'zipkin' }, ports: [{ name: 'http-query', port: 80, targetPort: ZIPKIN_PORT }] },
];

/** samples/addons/prometheus.yaml: Service `prometheus` (9090), pods labelled app.kubernetes.io/name=prometheus. */
const PROMETHEUS_LABELS = { 'app.kubernetes.io/component': 'server', 'app.kubernetes.io/name': 'prometheus', 'app.kubernetes.io/instance': 'prometheus' };
const PROMETHEUS_SERVICES: readonly KubeService[] = [
  { name: 'prometheus', namespace: ADDON_NAMESPACE, labels: PROMETHEUS_LABELS, selector: PROMETHEUS_LABELS, ports: [{ name: 'http', port: PROMETHEUS_PORT, targetPort: PROMETHEUS_PORT }] },
];

const ADDONS: Readonly<Record<MeshAddonName, { services: readonly KubeService[]; podLabels: Record<string, string>; serviceAccount: string }>> = {
  zipkin: { services: ZIPKIN_SERVICES, podLabels: { app: 'zipkin' }, serviceAccount: 'default' },
  prometheus: { services: PROMETHEUS_SERVICES, podLabels: PROMETHEUS_LABELS, serviceAccount: 'prometheus' },
};

/** What the registry learns about one addon: its Services and its one pod on the control plane's address. */
export interface AddonRegistration {
  readonly services: readonly MeshService[];
  readonly workload: WorkloadInstance;
}

export function addonRegistration(addon: MeshAddonName, plan: LocalPlan, domainSuffix = 'cluster.local'): AddonRegistration {
  const spec = ADDONS[addon];
  return {
    services: spec.services.map((s) => toMeshService(s, domainSuffix)),
    workload: {
      name: podName(addon, addon),
      namespace: ADDON_NAMESPACE,
      address: plan.controlPlane.ip,
      labels: spec.podLabels,
      serviceAccount: spec.serviceAccount,
      sidecar: false,
      ready: true,
    },
  };
}

/** `http://<control plane address>:<port>`: where the addon listens in local mode. */
export function addonUrl(addon: MeshAddonName, plan: LocalPlan): string {
  return `http://${plan.controlPlane.ip}:${addon === 'zipkin' ? ZIPKIN_PORT : PROMETHEUS_PORT}`;
}
