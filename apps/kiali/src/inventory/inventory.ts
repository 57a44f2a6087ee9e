/**
 * The KialiInventory (libs/kiali/traffic's contract) from the control plane's registry API: Services,
 * pods grouped into workloads, and the namespaces either holds (plus istio-system, where the control
 * plane runs). Each call reads the registry afresh; the UI polls every 15 s, so no cache is kept.
 */
import type { MeshService } from '@trellis/mesh-api';
import type { InventoryService, InventoryWorkload, KialiInventory } from '@trellis/kiali-traffic';
import type { ControlPlaneClient } from '../control-plane/client';
import { groupWorkloads } from './workloads';

export const ISTIO_NAMESPACE = 'istio-system';

export function toInventoryService(svc: MeshService): InventoryService {
  return {
    namespace: svc.namespace,
    name: svc.name,
    hostname: svc.hostname,
    labels: { ...(svc.labels ?? {}) },
    selector: { ...svc.selector },
    ports: svc.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
  };
}

export interface ControlPlaneInventory extends KialiInventory {
  /** One namespace's services and workloads from a single read of the registry. */
  snapshot(namespace?: string): Promise<{ services: InventoryService[]; workloads: InventoryWorkload[] }>;
}

export function controlPlaneInventory(client: ControlPlaneClient): ControlPlaneInventory {
  const inNs = <T extends { namespace: string }>(items: T[], namespace?: string): T[] => (namespace === undefined ? items : items.filter((i) => i.namespace === namespace));
  const services = async (namespace?: string): Promise<InventoryService[]> => inNs((await client.services()).map(toInventoryService), namespace).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const workloads = async (namespace?: string): Promise<InventoryWorkload[]> => groupWorkloads(inNs(await client.workloads(), namespace));
  return {
    services,
    workloads,
    namespaces: async () => {
      const [svcs, pods] = await Promise.all([client.services(), client.workloads()]);
      return [...new Set([ISTIO_NAMESPACE, ...svcs.map((s) => s.namespace), ...pods.map((p) => p.namespace)])].sort();
    },
    snapshot: async (namespace) => {
      const [svcs, wls] = await Promise.all([services(namespace), workloads(namespace)]);
      return { services: svcs, workloads: wls };
    },
  };
}
