/* Test helper: what a simulated request ends up doing, in terms of pods, so two configs can be compared. */
import { collectConfigs, emptySnapshot, labelsMatch, type IstioConfig, type MeshSnapshot, type ProxyInfo } from '@trellis/mesh-api';
import { simulate, translate, type SimulatedRequest } from '@trellis/mesh-translate';
import { convertGatewayApi } from '../convert';
import { bookinfoWorkloads, input } from './fixture';

/** The snapshot translate sees: Istio configs as stored plus what the Gateway API converts to. */
export function snapshotOf(configs: IstioConfig[]): MeshSnapshot {
  const i = input(configs);
  const c = collectConfigs([...configs, ...convertGatewayApi(i).configs]);
  return { ...emptySnapshot(), ...c, services: i.services, workloads: bookinfoWorkloads() };
}

/** `outbound|port|subset|host` → the pods behind it (Service selector + the DestinationRule subset's labels). */
function podsOf(snapshot: MeshSnapshot, cluster: string): string {
  const [, , subset = '', host = ''] = cluster.split('|');
  const svc = snapshot.services.find((s) => s.hostname === host);
  const subsetLabels = snapshot.destinationRules.find((d) => d.spec.host === host || `${d.spec.host}.default.svc.cluster.local` === host)?.spec.subsets?.find((s) => s.name === subset)?.labels;
  if (svc === undefined || (subset !== '' && subsetLabels === undefined)) return `unknown(${cluster})`;
  const selector = { ...svc.selector, ...(subsetLabels ?? {}) };
  return snapshot.workloads.filter((w) => labelsMatch(selector, w.labels)).map((w) => w.name.replace(/-abc$/, '')).sort().join('+');
}

/** Where a request goes: `404`, `500`, or pods with their share in percent (`reviews-v1:90,reviews-v2:10`). */
export function decide(snapshot: MeshSnapshot, proxy: ProxyInfo, req: SimulatedRequest): string {
  const r = simulate(translate(snapshot, proxy), req);
  if (!r.matched) return '404';
  if (r.directResponse) return String(r.directResponse.status);
  if (r.cluster !== undefined) return `${podsOf(snapshot, r.cluster)}:100`;
  const total = (r.weighted ?? []).reduce((n, w) => n + w.weight, 0);
  return (r.weighted ?? []).map((w) => `${podsOf(snapshot, w.cluster)}:${Math.round((w.weight * 100) / total)}`).join(',');
}

export const sidecar = (deployment: string): ProxyInfo => {
  const w = bookinfoWorkloads().find((x) => x.name.startsWith(`${deployment}-`));
  if (w === undefined) throw new Error(deployment);
  return { id: `sidecar~${w.address}~${w.name}.default~default.svc.cluster.local`, type: 'sidecar', ipAddress: w.address, workloadName: w.name, namespace: 'default', labels: w.labels, interception: 'REDIRECT' };
};

export const router = (namespace: string, labels: Record<string, string>): ProxyInfo => ({
  id: `router~10.0.0.2~gw-abc.${namespace}~${namespace}.svc.cluster.local`,
  type: 'router',
  ipAddress: '10.0.0.2',
  workloadName: 'gw-abc',
  namespace,
  labels,
  interception: 'REDIRECT',
});
