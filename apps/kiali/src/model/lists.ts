/**
 * The Applications, Workloads and Services list bodies (contract §4.13). Apps are the values of the
 * `app` label over the namespace's workloads; a Service is in the mesh when a pod it selects has a sidecar.
 */
import type { InventoryService, InventoryWorkload } from '@trellis/kiali-traffic';
import type { ObjectValidation } from './validations';

export type Dated = (key: string) => string;

export const selects = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

export function appNames(workloads: readonly InventoryWorkload[]): string[] {
  return [...new Set(workloads.flatMap((w) => (w.app === undefined ? [] : [w.app])))].sort();
}

export function appsList(namespace: string, workloads: readonly InventoryWorkload[]): { namespace: { name: string }; applications: { name: string; istioSidecar: boolean; labels: Record<string, string> }[] } {
  return {
    namespace: { name: namespace },
    applications: appNames(workloads).map((app) => ({ name: app, istioSidecar: workloads.filter((w) => w.app === app).every((w) => w.sidecar), labels: { app } })),
  };
}

export function workloadOverview(w: InventoryWorkload, dated: Dated): Record<string, unknown> {
  return {
    name: w.name,
    type: 'Deployment',
    createdAt: dated(`workload/${w.namespace}/${w.name}`),
    resourceVersion: '1',
    istioSidecar: w.sidecar,
    labels: { ...w.labels },
    appLabel: w.app !== undefined,
    versionLabel: w.version !== undefined,
    podCount: w.pods.length,
    additionalDetailSample: null,
    healthAnnotations: {},
  };
}

export function workloadsList(namespace: string, workloads: readonly InventoryWorkload[], dated: Dated): { namespace: { name: string }; workloads: Record<string, unknown>[] } {
  return { namespace: { name: namespace }, workloads: workloads.map((w) => workloadOverview(w, dated)) };
}

export function serviceInMesh(svc: InventoryService, workloads: readonly InventoryWorkload[]): boolean {
  return workloads.some((w) => w.namespace === svc.namespace && w.sidecar && selects(svc.selector, w.labels));
}

export function servicesList(
  namespace: string,
  services: readonly InventoryService[],
  workloads: readonly InventoryWorkload[],
  validations: Record<string, ObjectValidation>,
): Record<string, unknown> {
  return {
    namespace: { name: namespace },
    services: services.map((s) => ({
      name: s.name,
      istioSidecar: serviceInMesh(s, workloads),
      labels: { ...s.labels },
      appLabel: s.labels['app'] !== undefined,
      additionalDetailSample: null,
      healthAnnotations: {},
    })),
    validations: { service: validations },
  };
}
