/**
 * The KialiInventory (libs/kiali/traffic's contract) from the control plane's registry API: Services,
 * pods grouped into workloads, and the namespaces either holds (plus istio-system, where the control
 * plane runs). Each call reads the registry afresh; the UI polls every 15 s, so no cache is kept.
 */
import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';
import type { InventoryService, InventoryWorkload, KialiInventory } from '@trellis/kiali-traffic';
import type { ConnectedProxy, ControlPlaneClient } from '../control-plane/client';
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

/**
 * Registry pods plus the gateways connected over ADS that the registry does not list (local mode runs the
 * ingress gateway without registering it), so their metrics are scraped and their traffic has a source.
 */
export function withConnectedGateways(pods: readonly WorkloadInstance[], proxies: readonly ConnectedProxy[]): WorkloadInstance[] {
  const known = new Set(pods.map((p) => `${p.namespace}/${p.name}`));
  const gateways = proxies
    .filter((p) => p.type === 'router' && p.name !== '' && !known.has(`${p.namespace}/${p.name}`))
    .map((p): WorkloadInstance => ({ name: p.name, namespace: p.namespace, address: p.address, labels: { ...p.labels }, serviceAccount: p.serviceAccount, sidecar: true, ready: true }));
  return [...pods, ...gateways];
}

export interface ControlPlaneInventory extends KialiInventory {
  /** One namespace's services and workloads from a single read of the registry. */
  snapshot(namespace?: string): Promise<{ services: InventoryService[]; workloads: InventoryWorkload[] }>;
}

export function controlPlaneInventory(client: ControlPlaneClient): ControlPlaneInventory {
  const inNs = <T extends { namespace: string }>(items: T[], namespace?: string): T[] => (namespace === undefined ? items : items.filter((i) => i.namespace === namespace));
  const services = async (namespace?: string): Promise<InventoryService[]> => inNs((await client.services()).map(toInventoryService), namespace).sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const pods = async (): Promise<WorkloadInstance[]> => {
    const [registered, proxies] = await Promise.all([client.workloads(), client.connectedProxies()]);
    return withConnectedGateways(registered, proxies);
  };
  const workloads = async (namespace?: string): Promise<InventoryWorkload[]> => groupWorkloads(inNs(await pods(), namespace));
  return {
    services,
    workloads,
    namespaces: async () => {
      const [svcs, all] = await Promise.all([client.services(), pods()]);
      return [...new Set([ISTIO_NAMESPACE, ...svcs.map((s) => s.namespace), ...all.map((p) => p.namespace)])].sort();
    },
    snapshot: async (namespace) => {
      const [svcs, wls] = await Promise.all([services(namespace), workloads(namespace)]);
      return { services: svcs, workloads: wls };
    },
  };
}
