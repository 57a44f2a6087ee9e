import type { InventoryService, InventoryWorkload, Sample } from '../inventory';
import { label, promString } from '../graph/labels';
import { RequestRates, type KeyOf, type Requests } from './request-rates';

export type HealthType = 'app' | 'workload' | 'service';

export interface WorkloadStatus {
  name: string;
  desiredReplicas: number;
  currentReplicas: number;
  availableReplicas: number;
  /** -1: no sidecar, do not check (pitfall 10). */
  syncedProxies: number;
}

export type AppHealth = { workloadStatuses: WorkloadStatus[]; requests: Requests };
export type WorkloadHealth = { workloadStatus: WorkloadStatus; requests: Requests };
export type ServiceHealth = { requests: Requests };
export type Health = AppHealth | WorkloadHealth | ServiceHealth;

export function workloadStatus(w: InventoryWorkload): WorkloadStatus {
  const ready = w.pods.filter((p) => p.ready).length;
  return { name: w.name, desiredReplicas: w.pods.length, currentReplicas: w.pods.length, availableReplicas: ready, syncedProxies: w.sidecar ? ready : -1 };
}

const rate = (matchers: string, ri: string): string => `rate(istio_requests_total{${matchers}}[${ri}]) > 0`;

/** §4.11 namespace-wide queries. */
export function namespaceHealthQueries(type: HealthType, ns: string, ri: string): string[] {
  const n = promString(ns);
  if (type === 'service') return [rate(`destination_service_namespace=${n}`, ri)];
  return [rate(`destination_service_namespace=${n},source_workload_namespace!=${n}`, ri), rate(`source_workload_namespace=${n}`, ri)];
}

const LABEL: Record<Exclude<HealthType, 'service'>, string> = { app: 'canonical_service', workload: 'workload' };

/** Keys of a namespace's samples: inbound by the destination item, outbound by the source item, both within `ns`. */
export function namespaceKeys(type: HealthType, ns: string): { inKey: KeyOf; outKey: KeyOf } {
  if (type === 'service') {
    return { inKey: (m) => (label(m, 'destination_service_namespace') === ns ? label(m, 'destination_service_name') : undefined), outKey: () => undefined };
  }
  return {
    inKey: (m) => (label(m, 'destination_workload_namespace') === ns ? label(m, `destination_${LABEL[type]}`) : undefined),
    outKey: (m) => (label(m, 'source_workload_namespace') === ns ? label(m, `source_${LABEL[type]}`) : undefined),
  };
}

/** §4.11 single-item queries (inbound, outbound). */
export function itemHealthQueries(type: HealthType, ns: string, name: string, ri: string): string[] {
  const n = promString(ns);
  const x = promString(name);
  if (type === 'service') return [rate(`destination_service_name=${x},destination_service_namespace=${n}`, ri)];
  const l = type === 'app' ? 'app' : 'workload';
  return [rate(`destination_workload_namespace=${n},destination_${l}=${x}`, ri), rate(`reporter="source",source_workload_namespace=${n},source_${l}=${x}`, ri)];
}

export function itemKeys(type: HealthType, name: string): { inKey: KeyOf; outKey: KeyOf } {
  if (type === 'service') return { inKey: () => name, outKey: () => undefined };
  const l = type === 'app' ? 'app' : 'workload';
  return { inKey: (m) => (label(m, `destination_${l}`) === name ? name : undefined), outKey: (m) => (label(m, `source_${l}`) === name ? name : undefined) };
}

export interface NamespaceInventory {
  workloads: InventoryWorkload[];
  services: InventoryService[];
}

/** The items of a namespace (idle ones too: the Overview counts them). */
export function itemsOf(type: HealthType, inv: NamespaceInventory): string[] {
  if (type === 'workload') return inv.workloads.map((w) => w.name);
  if (type === 'service') return inv.services.map((s) => s.name);
  const apps = [...inv.workloads.map((w) => w.app), ...inv.services.map((s) => s.labels['app'])];
  return [...new Set(apps.filter((a): a is string => a !== undefined && a !== ''))];
}

export function healthOf(type: HealthType, item: string, inv: NamespaceInventory, rates: RequestRates): Health {
  const requests = rates.requests(item);
  if (type === 'service') return { requests };
  if (type === 'workload') {
    const w = inv.workloads.find((x) => x.name === item);
    const status = w === undefined ? { name: item, desiredReplicas: 0, currentReplicas: 0, availableReplicas: 0, syncedProxies: -1 } : workloadStatus(w);
    return { workloadStatus: status, requests };
  }
  return { workloadStatuses: inv.workloads.filter((w) => w.app === item).map(workloadStatus), requests };
}

/** Namespace health: every item of `type`, keyed by name. */
export function namespaceHealth(type: HealthType, ns: string, inv: NamespaceInventory, results: readonly Sample[][]): Record<string, Health> {
  const rates = new RequestRates();
  const { inKey, outKey } = namespaceKeys(type, ns);
  for (const r of results) rates.add(r, inKey, outKey);
  const out: Record<string, Health> = {};
  for (const item of itemsOf(type, inv).sort()) out[item] = healthOf(type, item, inv, rates);
  return out;
}
