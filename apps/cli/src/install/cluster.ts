import { TrellisError } from '@trellis/shared';
import { deleteIfExists, serverSideApply, type KubeClient } from '@trellis/mesh-kube';
import type { DeployObject } from './deploy-manifests';
import { objectLabel, resourcePath } from './resources';

/** Server-side apply field manager of `trellis install`. */
export const FIELD_MANAGER = 'trellis-install';
export const INSTALL_TIMEOUT = 'INSTALL_TIMEOUT';

interface Condition {
  type: string;
  status: string;
}

interface ObjectStatus {
  metadata: { generation?: number };
  spec?: { replicas?: number };
  status?: { conditions?: Condition[]; observedGeneration?: number; availableReplicas?: number };
}

/** Create or update `o` (server-side apply, taking ownership of conflicting fields like kubectl --force-conflicts). */
export async function applyObject(client: KubeClient, o: DeployObject): Promise<void> {
  await serverSideApply(client, resourcePath(o), o, FIELD_MANAGER);
}

/** Delete `o`; false when it was already gone. */
export function deleteObject(client: KubeClient, o: Pick<DeployObject, 'apiVersion' | 'kind' | 'metadata'>): Promise<boolean> {
  return deleteIfExists(client, resourcePath(o), { propagationPolicy: 'Background' });
}

const hasCondition = (s: ObjectStatus, type: string): boolean => s.status?.conditions?.some((c) => c.type === type && c.status === 'True') === true;

/** CRDs are Established; Deployments have rolled out (observed, Available, every replica available). */
export function isReady(kind: string, s: ObjectStatus): boolean {
  if (kind === 'CustomResourceDefinition') return hasCondition(s, 'Established');
  if (kind !== 'Deployment') return true;
  const observed = (s.status?.observedGeneration ?? 0) >= (s.metadata.generation ?? 0);
  return observed && hasCondition(s, 'Available') && (s.status?.availableReplicas ?? 0) >= (s.spec?.replicas ?? 1);
}

/** Polls until every object `isReady`, or throws INSTALL_TIMEOUT naming the ones that are not. */
export async function waitForReady(client: KubeClient, objects: readonly DeployObject[], timeoutMs: number, pollMs = 1000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = objects.filter((o) => o.kind === 'CustomResourceDefinition' || o.kind === 'Deployment');
  for (;;) {
    const ready = await Promise.all(pending.map(async (o) => isReady(o.kind, await client.request<ObjectStatus>('GET', resourcePath(o)))));
    pending = pending.filter((_, i) => !ready[i]);
    if (pending.length === 0) return;
    if (Date.now() >= deadline) {
      throw new TrellisError(INSTALL_TIMEOUT, `timed out waiting for resources to be ready: ${pending.map(objectLabel).join(', ')}`, {
        pending: pending.map(objectLabel),
      });
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
