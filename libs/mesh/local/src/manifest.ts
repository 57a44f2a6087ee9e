import { parseAllDocuments } from 'yaml';
import { TrellisError } from '@trellis/shared';

/** The subset of Kubernetes objects the local runner reads from `bookinfo.yaml`. */
export interface KubeService {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  ports: { name: string; port: number; targetPort: number }[];
}

export interface KubeContainer {
  name: string;
  image: string;
  env: Record<string, string>;
  ports: number[];
}

export interface KubeDeployment {
  name: string;
  namespace: string;
  podLabels: Record<string, string>;
  serviceAccount: string;
  replicas: number;
  containers: KubeContainer[];
}

export interface KubeManifest {
  services: KubeService[];
  deployments: KubeDeployment[];
}

type Obj = Record<string, unknown>;

const asObj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {});
const asArr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const asStrMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries(asObj(v)).map(([k, val]) => [k, String(val)]));

function readService(doc: Obj, ns: string): KubeService {
  const meta = asObj(doc['metadata']);
  const spec = asObj(doc['spec']);
  return {
    name: String(meta['name']),
    namespace: String(meta['namespace'] ?? ns),
    labels: asStrMap(meta['labels']),
    selector: asStrMap(spec['selector']),
    ports: asArr(spec['ports']).map((p) => {
      const port = asObj(p);
      const number = Number(port['port']);
      const target = port['targetPort'] === undefined ? number : Number(port['targetPort']);
      return { name: String(port['name'] ?? ''), port: number, targetPort: target };
    }),
  };
}

function readContainer(c: unknown): KubeContainer {
  const container = asObj(c);
  const env: Record<string, string> = {};
  for (const e of asArr(container['env'])) {
    const entry = asObj(e);
    if (entry['value'] !== undefined) env[String(entry['name'])] = String(entry['value']);
  }
  return {
    name: String(container['name']),
    image: String(container['image'] ?? ''),
    env,
    ports: asArr(container['ports']).map((p) => Number(asObj(p)['containerPort'])),
  };
}

function readDeployment(doc: Obj, ns: string): KubeDeployment {
  const meta = asObj(doc['metadata']);
  const spec = asObj(doc['spec']);
  const template = asObj(spec['template']);
  const podSpec = asObj(template['spec']);
  return {
    name: String(meta['name']),
    namespace: String(meta['namespace'] ?? ns),
    podLabels: asStrMap(asObj(template['metadata'])['labels']),
    serviceAccount: String(podSpec['serviceAccountName'] ?? 'default'),
    replicas: spec['replicas'] === undefined ? 1 : Number(spec['replicas']),
    containers: asArr(podSpec['containers']).map(readContainer),
  };
}

/** Reads Services and Deployments from a multi-document Kubernetes manifest. */
export function readKubeManifest(text: string, source: string, namespace = 'default'): KubeManifest {
  const manifest: KubeManifest = { services: [], deployments: [] };
  for (const [index, doc] of parseAllDocuments(text).entries()) {
    if (doc.errors.length > 0) {
      throw new TrellisError('MANIFEST_INVALID', 'invalid YAML in manifest', {
        source,
        document: index,
        reason: doc.errors[0]?.message,
      });
    }
    const obj = asObj(doc.toJS());
    if (obj['kind'] === 'Service') manifest.services.push(readService(obj, namespace));
    if (obj['kind'] === 'Deployment') manifest.deployments.push(readDeployment(obj, namespace));
  }
  return manifest;
}
