import { KubeClient, type GatewayApiManifest } from '@trellis/mesh-kube';
import { applyObject, deleteObject, waitForReady } from './cluster';
import type { Component, DeployObject } from './deploy-manifests';
import { installGatewayApiStep } from './gateway-api-crds';
import { applyOrder, deleteOrder, objectLabel } from './resources';

/** istioctl's progress names for the components of deploy/kustomization.yaml. */
const TITLES: Readonly<Record<string, string>> = {
  crds: 'Trellis core',
  'control-plane': 'Control plane',
  'egress-gateway': 'Egress gateways',
  gateway: 'Ingress gateways',
};

export const componentTitle = (name: string): string => TITLES[name] ?? `Component ${name}`;

export interface InstallPlan {
  client: KubeClient;
  components: readonly Component[];
  /** Wait for Deployments to be Available (CRDs are always waited for: they must serve before config is applied). */
  wait: boolean;
  timeoutMs: number;
  progress(line: string): void;
  /** deploy/gateway-api: installed after the Istio CRDs when the cluster has no Gateway API CRDs. */
  gatewayApiCrds?: readonly GatewayApiManifest[];
  /** What was installed (installed-state.ts), recorded last, when everything else is applied. */
  installedState?: DeployObject;
}

/** Applies each component in order, waiting for it when asked, and reports `✔ <title> installed`. */
export async function installComponents(plan: InstallPlan): Promise<void> {
  const deadline = Date.now() + plan.timeoutMs;
  for (const component of plan.components) {
    const manifests = applyOrder(component.manifests);
    for (const m of manifests) await applyObject(plan.client, m.object);
    const objects = manifests.map((m) => m.object).filter((o) => plan.wait || o.kind === 'CustomResourceDefinition');
    await waitForReady(plan.client, objects, Math.max(0, deadline - Date.now()));
    plan.progress(`✔ ${componentTitle(component.name)} installed`);
    if (component.name === 'crds' && plan.gatewayApiCrds !== undefined) {
      await installGatewayApiStep(plan.client, plan.gatewayApiCrds, (line) => plan.progress(line), Math.max(0, deadline - Date.now()));
    }
  }
  if (plan.installedState !== undefined) await applyObject(plan.client, plan.installedState);
  plan.progress('✔ Installation complete');
}

export interface UninstallPlan {
  client: KubeClient;
  components: readonly Component[];
  /** Also delete the CRDs (and with them all Istio config) and the namespaces. */
  purge: boolean;
  /** Cluster-scoped objects the control plane creates at run time (its webhook configuration). */
  runtimeObjects: readonly Component['manifests'][number]['object'][];
  progress(line: string): void;
}

const KEPT_WITHOUT_PURGE = new Set(['CustomResourceDefinition', 'Namespace']);

/** Deletes what install applied (components in reverse), reporting `  Removed Kind:ns:name.` like istioctl. */
export async function uninstallComponents(plan: UninstallPlan): Promise<void> {
  const removed = async (o: UninstallPlan['runtimeObjects'][number]): Promise<void> => {
    if (await deleteObject(plan.client, o)) plan.progress(`  Removed ${objectLabel(o)}.`);
  };
  for (const o of plan.runtimeObjects) await removed(o);
  for (const component of [...plan.components].reverse()) {
    for (const m of deleteOrder(component.manifests)) {
      if (plan.purge || !KEPT_WITHOUT_PURGE.has(m.object.kind)) await removed(m.object);
    }
  }
  plan.progress('✔ Uninstall complete');
}
