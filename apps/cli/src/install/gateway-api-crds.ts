import path from 'node:path';
import { installGatewayApiCrds, loadGatewayApiManifests, type GatewayApiManifest, type KubeClient } from '@trellis/mesh-kube';

/** deploy/gateway-api beside deploy/'s kustomization (not one of its components: installed only when absent). */
export const loadGatewayApiCrds = (deployDir: string): Promise<GatewayApiManifest[]> => loadGatewayApiManifests(path.join(deployDir, 'gateway-api'));

/**
 * Istio's docs' `kubectl get crd gateways.gateway.networking.k8s.io || kubectl apply …` as an install
 * step: the vendored standard channel when the Gateway CRD is absent, else nothing. Reports what it did.
 */
export async function installGatewayApiStep(client: KubeClient, manifests: readonly GatewayApiManifest[], progress: (line: string) => void, timeoutMs: number): Promise<void> {
  const done = await installGatewayApiCrds(client, manifests, { fieldManager: 'trellis-install', timeoutMs });
  const version = done.bundleVersion ?? 'unknown version';
  if (done.action === 'present') {
    progress(`✔ Gateway API CRDs already installed (${version}), left as they are`);
    return;
  }
  progress(`✔ Gateway API CRDs installed (${version}, standard channel)`);
  if (done.celRulesStripped > 0) progress(`  this Kubernetes has no CEL: ${done.celRulesStripped} x-kubernetes-validations rules were left out of the schemas`);
  for (const skipped of done.skipped) progress(`  skipped ${skipped}: this Kubernetes does not serve its API`);
}
