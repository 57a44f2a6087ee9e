import { parseAllDocuments } from 'yaml';
import { kubeInjectManifest } from './kube-inject';
import { TEST_MESH } from './testing/fixtures';

const MANIFEST = `# Details service
apiVersion: v1
kind: Service
metadata:
  name: details # keep me
spec:
  ports:
    - port: 9080
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: details-v1
  namespace: bookinfo
spec:
  selector:
    matchLabels: { app: details }
  template:
    metadata:
      labels: { app: details, version: v1 }
    spec:
      containers:
        - name: details
          image: details:1
---
apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: "0 0 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: job
              image: job:1
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: legacy
spec:
  template:
    metadata:
      labels: { sidecar.istio.io/inject: "false" }
    spec:
      containers:
        - name: db
          image: db:1
---
apiVersion: v1
kind: Pod
metadata:
  name: sleep
spec:
  containers:
    - name: sleep
      image: curl:8
`;

/** Walks a parsed document: get(doc, 'spec', 'template', 'spec'). */
function get(value: unknown, ...path: Array<string | number>): unknown {
  let node = value;
  for (const key of path) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined;
  return node;
}

function docs(text: string): unknown[] {
  return parseAllDocuments(text).map((d) => (Array.isArray(d) ? {} : (d.toJS() as unknown)));
}

const names = (spec: unknown): unknown[] => (get(spec, 'containers') as unknown[]).map((c) => get(c, 'name'));

describe('kubeInjectManifest', () => {
  const out = kubeInjectManifest(MANIFEST, TEST_MESH);
  const parsed = docs(out);

  it('keeps every document, in order', () => {
    expect(parsed.map((d) => get(d, 'kind'))).toEqual(['Service', 'Deployment', 'CronJob', 'StatefulSet', 'Pod']);
  });

  it('passes non-workloads and opted-out workloads through verbatim (comments included)', () => {
    expect(out.startsWith('# Details service\napiVersion: v1\nkind: Service\nmetadata:\n  name: details # keep me\n')).toBe(true);
    expect(out).toContain('labels: { sidecar.istio.io/inject: "false" }');
  });

  it('injects pod templates of Deployments and CronJobs, and bare Pods', () => {
    const deployment = get(parsed[1], 'spec', 'template');
    expect(names(get(deployment, 'spec'))).toEqual(['istio-proxy', 'details']);
    expect(get(deployment, 'metadata', 'annotations', 'sidecar.istio.io/status')).toContain('istio-proxy');
    const proxyEnv = get(deployment, 'spec', 'containers', 0, 'env') as unknown[];
    expect(get(proxyEnv.find((e) => get(e, 'name') === 'ISTIO_META_OWNER'), 'value')).toBe('kubernetes://apis/apps/v1/namespaces/bookinfo/deployments/details-v1');
    expect(names(get(parsed[2], 'spec', 'jobTemplate', 'spec', 'template', 'spec'))).toEqual(['istio-proxy', 'job']);
    expect(names(get(parsed[4], 'spec'))).toEqual(['istio-proxy', 'sleep']);
    expect(get(parsed[1], 'spec', 'selector')).toEqual({ matchLabels: { app: 'details' } });
  });

  it('is idempotent', () => {
    expect(kubeInjectManifest(out, TEST_MESH)).toBe(out);
  });

  it('rejects invalid YAML with a typed error', () => {
    expect(() => kubeInjectManifest('a: [1, 2\n', TEST_MESH)).toThrow(expect.objectContaining({ code: 'KUBE_INJECT_BAD_MANIFEST' }));
  });
});
