import { isNotFound, type KubeClient } from '@trellis/mesh-kube';
import { TrellisError } from '@trellis/shared';
import { parse, stringify } from 'yaml';
import type { DeployObject } from './deploy-manifests';
import { isTree } from './operator-tree';
import type { OperatorFile, ResolvedInstall } from './resolve';
import { resourcePath } from './resources';

/**
 * istioctl keeps the IstioOperator it installed as `installed-state` in istio-system, for verify-install and
 * upgrades. Trellis has no IstioOperator CRD, so the same document lives in this ConfigMap.
 */
export const INSTALLED_STATE: Pick<DeployObject, 'apiVersion' | 'kind' | 'metadata'> = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'trellis-installed-state', namespace: 'istio-system' },
};
const KEY = 'IstioOperator';
export const NO_INSTALLED_STATE = 'NO_INSTALLED_STATE';

/** The ConfigMap recording what `install` applied (the merged spec). */
export function installedStateObject(r: ResolvedInstall): DeployObject {
  const iop = { apiVersion: 'install.istio.io/v1alpha1', kind: 'IstioOperator', metadata: { name: 'installed-state', namespace: 'istio-system' }, spec: r.spec };
  return { ...INSTALLED_STATE, metadata: { ...INSTALLED_STATE.metadata, labels: { app: 'istiod' } }, data: { [KEY]: stringify(iop) } };
}

/** The installed spec as a `-f` input, or NO_INSTALLED_STATE. */
export async function readInstalledState(client: KubeClient): Promise<OperatorFile> {
  const source = `ConfigMap ${INSTALLED_STATE.metadata.namespace ?? ''}/${INSTALLED_STATE.metadata.name}`;
  const cm = await client.request<{ data?: Record<string, string> }>('GET', resourcePath(INSTALLED_STATE)).catch((err: unknown) => {
    if (!isNotFound(err)) throw err;
    throw new TrellisError(NO_INSTALLED_STATE, `no installed state (${source}) found: was Trellis installed with trellis install? Pass the options it was installed with (--set profile=…, -f …)`, {});
  });
  const iop: unknown = parse(cm.data?.[KEY] ?? '');
  const spec = isTree(iop) && isTree(iop['spec']) ? iop['spec'] : {};
  return { source, spec };
}
