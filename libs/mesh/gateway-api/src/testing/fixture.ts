/* Test fixture: Bookinfo's Services (bookinfo.yaml + bookinfo-versions.yaml) and the samples as validated configs. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseYamlDocuments, validateConfig, type IstioConfig, type MeshService, type WorkloadInstance } from '@trellis/mesh-api';
import type { GatewayApiInput } from '../contract';

export const ROOT = resolve(__dirname, '../../../../..');

function load(path: string): unknown[] {
  const { objects, errors } = parseYamlDocuments(readFileSync(join(ROOT, path), 'utf8'), path);
  if (errors.length > 0) throw new Error(`${path}: ${errors.map((e) => e.message).join('; ')}`);
  return objects;
}

/** Istio configs of sample files (`samples/bookinfo/<path>`), validated as `trellis apply -f` would. */
export function sample(...paths: string[]): IstioConfig[] {
  const { valid, errors } = validateConfig(paths.flatMap((p) => load(`samples/bookinfo/${p}`)));
  if (errors.length > 0) throw new Error(errors.map((e) => `${e.kind} ${e.name} ${e.path}: ${e.message}`).join('; '));
  return valid;
}

type KubeService = { kind: string; metadata: { name: string }; spec: { selector: Record<string, string>; ports: { name: string; port: number }[] } };

/** The Services of bookinfo.yaml and bookinfo-versions.yaml as the registry holds them. */
export function bookinfoServices(): MeshService[] {
  const docs = [...load('samples/bookinfo/platform/kube/bookinfo.yaml'), ...load('samples/bookinfo/platform/kube/bookinfo-versions.yaml')] as KubeService[];
  return docs
    .filter((d) => d.kind === 'Service')
    .map((d) => ({
      name: d.metadata.name,
      namespace: 'default',
      hostname: `${d.metadata.name}.default.svc.cluster.local`,
      selector: d.spec.selector,
      ports: d.spec.ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.port, protocol: 'HTTP' as const })),
      labels: { app: d.spec.selector['app'] ?? d.metadata.name },
    }));
}

const PODS = ['details-v1', 'productpage-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3'];

export function bookinfoWorkloads(): WorkloadInstance[] {
  return PODS.map((d, i) => {
    const [app = '', version = ''] = d.split('-');
    return { name: `${d}-abc`, namespace: 'default', address: `10.0.0.${11 + i}`, labels: { app, version }, serviceAccount: `bookinfo-${app}`, sidecar: true, ready: true };
  });
}

export function input(configs: IstioConfig[], extra: Partial<GatewayApiInput> = {}): GatewayApiInput {
  return {
    configs,
    services: bookinfoServices(),
    namespaces: [{ name: 'default', labels: { 'kubernetes.io/metadata.name': 'default' } }],
    domainSuffix: 'cluster.local',
    gatewayAddresses: new Map(),
    ...extra,
  };
}
