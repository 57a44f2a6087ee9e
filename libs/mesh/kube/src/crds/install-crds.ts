import { generateCrds, type CustomResourceDefinition } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { serverSideApply } from '../client/writes';
import { sleep } from '../informer/backoff';

export interface InstallCrdsOptions {
  /** Server-side apply field manager (default `trellis-install`). */
  fieldManager?: string;
  /** How long to wait for every CRD to become Established (default 30 s). */
  timeoutMs?: number;
  crds?: readonly CustomResourceDefinition[];
}

interface CrdStatus extends KubeObject {
  status?: { conditions?: { type: string; status: string }[] };
}

const CRD_PATH = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

const established = (crd: CrdStatus): boolean => crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True') === true;

/**
 * Apply the Istio CRDs generated from libs/mesh/api (server-side apply: creates or updates) and wait
 * until the API server serves them (condition `Established`). Returns the CRD names.
 */
export async function installCrds(client: KubeClient, options: InstallCrdsOptions = {}): Promise<string[]> {
  const crds = options.crds ?? generateCrds();
  for (const crd of crds) {
    await serverSideApply(client, `${CRD_PATH}/${crd.metadata.name}`, crd, options.fieldManager ?? 'trellis-install');
  }
  const names = crds.map((c) => c.metadata.name);
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const waiting = new Set(names);
  const never = new AbortController().signal;
  while (waiting.size > 0) {
    for (const name of [...waiting]) if (established(await client.request<CrdStatus>('GET', `${CRD_PATH}/${name}`))) waiting.delete(name);
    if (waiting.size === 0) break;
    if (Date.now() > deadline) throw new TrellisError('CRDS_NOT_ESTABLISHED', 'CRDs were not established in time', { crds: [...waiting] });
    await sleep(100, never);
  }
  return names;
}
