import { isNotFound, type KubeClient } from '@trellis/mesh-kube';
import { isReady } from './cluster';
import type { Component, DeployObject } from './deploy-manifests';
import { resourcePath } from './resources';

/** One verify-install line: istioctl's `✔ Kind: name.namespace checked successfully`, or `✘ … <problem>`. */
export interface VerifyResult {
  readonly object: Pick<DeployObject, 'kind' | 'metadata'>;
  readonly problem?: string;
}

interface Status {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: { conditions?: { type: string; status: string }[]; observedGeneration?: number; availableReplicas?: number };
}

function problemOf(kind: string, s: Status): string | undefined {
  if (isReady(kind, s)) return undefined;
  if (kind === 'CustomResourceDefinition') return 'not Established';
  return `not ready: ${s.status?.availableReplicas ?? 0}/${s.spec?.replicas ?? 1} replicas available`;
}

async function check(client: KubeClient, o: Pick<DeployObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<VerifyResult> {
  try {
    return { object: o, ...optional(problemOf(o.kind, await client.request<Status>('GET', resourcePath(o)))) };
  } catch (err) {
    if (isNotFound(err)) return { object: o, problem: 'not found' };
    throw err;
  }
}

const optional = (problem: string | undefined): { problem?: string } => (problem === undefined ? {} : { problem });

/** Checks every object of `components`, then `runtime` (what the control plane creates: the injector webhook). */
export async function verifyComponents(client: KubeClient, components: readonly Component[], runtime: readonly Pick<DeployObject, 'apiVersion' | 'kind' | 'metadata'>[]): Promise<VerifyResult[]> {
  const objects = [...components.flatMap((c) => c.manifests.map((m) => m.object)), ...runtime];
  const out: VerifyResult[] = [];
  for (const o of objects) out.push(await check(client, o));
  return out;
}

/** istioctl's lines; the namespace is printed for cluster-scoped objects too, as istioctl does. */
export function verifyLines(results: readonly VerifyResult[], namespace: string): string[] {
  const label = (r: VerifyResult): string => `${r.object.kind}: ${r.object.metadata.name}.${r.object.metadata.namespace ?? namespace}`;
  const count = (kind: string): number => results.filter((r) => r.object.kind === kind).length;
  return [
    ...results.map((r) => (r.problem === undefined ? `✔ ${label(r)} checked successfully` : `✘ ${label(r)}: ${r.problem}`)),
    `Checked ${count('CustomResourceDefinition')} custom resource definitions`,
    `Checked ${count('Deployment')} Istio Deployments`,
  ];
}
