import { parseAllDocuments, stringify, type Document } from 'yaml';
import { InjectErrorCode, injectError } from './errors';
import { Label } from './pod/constants';
import { injectPod } from './pod/inject';
import type { InjectMeshConfig } from './pod/mesh-config';
import type { ObjectMeta, Pod } from './pod/types';
import type { WorkloadRef } from './pod/workload';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where each kind keeps its pod template. */
const TEMPLATE_PATH: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

function at(obj: Obj, path: readonly string[]): Obj | undefined {
  let node: unknown = obj;
  for (const key of path) node = isObject(node) ? node[key] : undefined;
  return isObject(node) ? node : undefined;
}

/** kube-inject has no namespace to look at: inject unless the pod opts out (istioctl's behaviour). */
const ENABLED = { [Label.istioInjection]: 'enabled' };

function injectObject(obj: Obj, meshConfig: InjectMeshConfig): Obj | undefined {
  const kind = typeof obj['kind'] === 'string' ? obj['kind'] : '';
  const meta = isObject(obj['metadata']) ? (obj['metadata'] as ObjectMeta) : {};
  const namespace = meta.namespace ?? 'default';
  if (kind === 'Pod') {
    const result = injectPod(obj as unknown as Pod, { namespaceLabels: ENABLED, meshConfig, namespace });
    return result.injected ? (result.pod as unknown as Obj) : undefined;
  }
  const path = TEMPLATE_PATH[kind];
  const template = path ? at(obj, path) : undefined;
  if (!path || !template) return undefined;
  const workload: WorkloadRef = { apiVersion: String(obj['apiVersion'] ?? 'apps/v1'), kind, name: meta.name ?? 'unknown' };
  const asPod = { metadata: template['metadata'] ?? {}, spec: template['spec'] } as unknown as Pod;
  const result = injectPod(asPod, { namespaceLabels: ENABLED, meshConfig, namespace, workload });
  if (!result.injected) return undefined;
  const out = structuredClone(obj);
  const target = at(out, path);
  if (!target) return undefined;
  target['metadata'] = result.pod.metadata;
  target['spec'] = result.pod.spec;
  return out;
}

function render(doc: Document, meshConfig: InjectMeshConfig): string {
  const value: unknown = doc.toJS();
  const injected = isObject(value) ? injectObject(value, meshConfig) : undefined;
  if (injected) return stringify(injected);
  // Documents after the first carry their own `---`; the stream separator is added by the caller.
  return doc.toString().replace(/^---(\n|$)/, '');
}

/**
 * `trellis kube-inject -f`: injects the pod templates of Deployments, StatefulSets, DaemonSets,
 * ReplicaSets, Jobs, CronJobs (and bare Pods) in a multi-document YAML stream. Everything else —
 * and opted-out workloads — is passed through as written (comments kept); injected documents are
 * re-serialised. Throws `KUBE_INJECT_BAD_MANIFEST` on YAML errors, `INJECT_*` on uninjectable pods.
 */
export function kubeInjectManifest(yamlText: string, meshConfig: InjectMeshConfig): string {
  const docs = parseAllDocuments(yamlText);
  if (!Array.isArray(docs)) throw injectError(InjectErrorCode.badManifest, 'manifest is not a YAML document stream', {});
  const broken = docs.find((d) => d.errors.length > 0);
  if (broken) throw injectError(InjectErrorCode.badManifest, 'manifest is not valid YAML', { error: broken.errors[0]?.message });
  return docs
    .filter((doc) => doc.contents !== null || doc.commentBefore || doc.comment)
    .map((doc) => render(doc, meshConfig))
    .join('---\n');
}
