import {
  ALL_KINDS,
  DEFAULT_DOMAIN_SUFFIX,
  analyzeOverlay,
  type AnyResource,
  type IstioConfig,
  type MeshService,
  type ValidationError,
  type WorkloadInstance,
} from '@trellis/mesh-api';
import type { ReportedAnalysisMessage } from '@trellis/mesh-config';
import { analyzeGatewayApi } from '@trellis/mesh-gateway-api';
import { listIstioObjects, toIstioConfig, toMeshService, toWorkload, type KubeList, type KubePod, type KubeService } from '@trellis/mesh-kube';
import type { KubeApi } from './kube-api';

const byName = (a: { namespace: string; name: string }, b: { namespace: string; name: string }): number =>
  a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name);

async function pods(api: KubeApi): Promise<KubePod[]> {
  return (await api.request<KubeList<KubePod>>('GET', '/api/v1/pods')).items;
}

/** Every Service as a MeshService (named target ports resolved through `selected` pods). */
export async function meshServices(api: KubeApi, withPods = true): Promise<MeshService[]> {
  const [services, podList] = await Promise.all([
    api.request<KubeList<KubeService>>('GET', '/api/v1/services'),
    withPods ? pods(api) : Promise.resolve([]),
  ]);
  return services.items.map((s) => toMeshService(s, podList, DEFAULT_DOMAIN_SUFFIX)).sort(byName);
}

/** Every Pod with an IP as a WorkloadInstance (readiness from the pod's status). */
export async function workloadInstances(api: KubeApi): Promise<WorkloadInstance[]> {
  return (await pods(api))
    .map((p) => toWorkload(p, undefined))
    .filter((w): w is WorkloadInstance => w !== undefined)
    .sort(byName);
}

/** Every Istio object in the cluster (kinds whose CRD is not installed are skipped), validated like the control plane does. */
async function clusterConfig(api: KubeApi): Promise<{ valid: IstioConfig[]; errors: ValidationError[] }> {
  const lists = await Promise.all(
    ALL_KINDS.map(async (info) => {
      const version = await api.versionOf(info.kind);
      if (version === undefined) return [];
      const items = await api.call(() => listIstioObjects(api.client, info.kind, version));
      return items.map((raw) => toIstioConfig(raw, info.kind, version));
    }),
  );
  const valid: IstioConfig[] = [];
  const errors: ValidationError[] = [];
  for (const c of lists.flat()) {
    if (c.config === undefined) errors.push(...c.errors);
    else valid.push(c.config);
  }
  return { valid, errors };
}

/**
 * `trellis analyze` against a cluster: the cluster's Istio objects overlaid with `objects` (files),
 * analyzed against the cluster's Services, exactly as the control plane's /api/v1/analyze does.
 * Objects the control plane would reject are reported as IST0106 schema errors.
 */
export async function analyzeCluster(api: KubeApi, objects: readonly AnyResource[] | undefined, namespace: string | undefined): Promise<ReportedAnalysisMessage[]> {
  const [stored, services] = await Promise.all([clusterConfig(api), meshServices(api, false)]);
  return analyzeOverlay({ stored: stored.valid, storedErrors: stored.errors, submitted: objects ?? [], namespace, services, analyzers: [analyzeGatewayApi] }).map(
    ({ level, code, origin, message }) => ({ level, code, origin, message }),
  );
}
