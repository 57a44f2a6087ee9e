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
  /** The container's `command` + `args`, when the manifest sets a command (e.g. sleep's `/bin/sleep infinity`). */
  command?: string[];
}

export interface KubeDeployment {
  name: string;
  namespace: string;
  podLabels: Record<string, string>;
  /** The pod template's annotations (`prometheus.io/*`, `proxy.istio.io/config` reach the proxy's env). */
  podAnnotations?: Record<string, string>;
  serviceAccount: string;
  replicas: number;
  containers: KubeContainer[];
  /** False for a pod applied without injection (local mode `--with sleep@legacy:nosidecar`); default true. */
  sidecar?: boolean;
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

/** Secrets by `namespace/name`: their decoded `data` (and `stringData`), for env `secretKeyRef`s. */
type Secrets = ReadonlyMap<string, Record<string, string>>;

function readSecret(doc: Obj, ns: string): [string, Record<string, string>] {
  const meta = asObj(doc['metadata']);
  const data = Object.fromEntries(Object.entries(asStrMap(doc['data'])).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  return [`${String(meta['namespace'] ?? ns)}/${String(meta['name'])}`, { ...data, ...asStrMap(doc['stringData']) }];
}

/** A literal `value`, or a `valueFrom.secretKeyRef` the manifests define (the kubelet's resolution); else unset. */
function envValue(entry: Obj, secrets: Secrets, ns: string): string | undefined {
  if (entry['value'] !== undefined) return String(entry['value']);
  const ref = asObj(asObj(entry['valueFrom'])['secretKeyRef']);
  return secrets.get(`${ns}/${String(ref['name'])}`)?.[String(ref['key'])];
}

function readContainer(c: unknown, secrets: Secrets, ns: string): KubeContainer {
  const container = asObj(c);
  const env: Record<string, string> = {};
  for (const e of asArr(container['env'])) {
    const entry = asObj(e);
    const value = envValue(entry, secrets, ns);
    if (value !== undefined) env[String(entry['name'])] = value;
  }
  return {
    name: String(container['name']),
    image: String(container['image'] ?? ''),
    env,
    ports: asArr(container['ports']).map((p) => Number(asObj(p)['containerPort'])),
    ...(Array.isArray(container['command']) && { command: [...asArr(container['command']), ...asArr(container['args'])].map(String) }),
  };
}

function readDeployment(doc: Obj, defaultNs: string, secrets: Secrets): KubeDeployment {
  const meta = asObj(doc['metadata']);
  const ns = String(meta['namespace'] ?? defaultNs);
  const spec = asObj(doc['spec']);
  const template = asObj(spec['template']);
  const podSpec = asObj(template['spec']);
  return {
    name: String(meta['name']),
    namespace: ns,
    podLabels: asStrMap(asObj(template['metadata'])['labels']),
    podAnnotations: asStrMap(asObj(template['metadata'])['annotations']),
    // An empty serviceAccountName (Istio's samples/ratelimit redis) is the namespace's default, as the API server sets it.
    serviceAccount: String(podSpec['serviceAccountName'] || 'default'),
    replicas: spec['replicas'] === undefined ? 1 : Number(spec['replicas']),
    containers: asArr(podSpec['containers']).map((c) => readContainer(c, secrets, ns)),
  };
}

export interface ManifestSource {
  readonly text: string;
  /** Where the text came from (errors name it). */
  readonly source: string;
}

function parseObjects(m: ManifestSource): Obj[] {
  return parseAllDocuments(m.text).map((doc, index) => {
    if (doc.errors.length > 0) {
      throw new TrellisError('MANIFEST_INVALID', 'invalid YAML in manifest', { source: m.source, document: index, reason: doc.errors[0]?.message });
    }
    return asObj(doc.toJS());
  });
}

/**
 * Reads Services and Deployments from multi-document Kubernetes manifests, applied together as
 * `kubectl apply -f a.yaml -f b.yaml` would: env `secretKeyRef`s resolve against every file's Secrets.
 */
export function readKubeManifests(manifests: readonly ManifestSource[], namespace = 'default'): KubeManifest {
  const objects = manifests.flatMap(parseObjects);
  const secrets = new Map(objects.filter((o) => o['kind'] === 'Secret').map((o) => readSecret(o, namespace)));
  return {
    services: objects.filter((o) => o['kind'] === 'Service').map((o) => readService(o, namespace)),
    deployments: objects.filter((o) => o['kind'] === 'Deployment').map((o) => readDeployment(o, namespace, secrets)),
  };
}

/** Reads Services and Deployments from one multi-document Kubernetes manifest. */
export function readKubeManifest(text: string, source: string, namespace = 'default'): KubeManifest {
  return readKubeManifests([{ text, source }], namespace);
}
