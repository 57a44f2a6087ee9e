import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../testing/fake-control-plane';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: reviews-v1
  namespace: bookinfo
spec:
  replicas: 1
  selector:
    matchLabels: {app: reviews, version: v1}
  template:
    metadata:
      labels: {app: reviews, version: v1}
    spec:
      containers:
      - name: reviews
        image: docker.io/istio/examples-bookinfo-reviews-v1:1.20.2
        ports: [{containerPort: 9080}]
`;
const SERVICE = `# the reviews Service
apiVersion: v1
kind: Service
metadata:
  name: reviews
spec:
  ports: [{port: 9080, name: http}]
`;

type Obj = Record<string, unknown>;
interface PodTemplateSpec {
  metadata?: { annotations?: Record<string, string> };
  spec: { containers: Array<{ name: string; image: string; env?: Array<{ name: string; value?: string }> }>; initContainers?: Array<{ name: string; image: string }> };
}
const docsOf = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS() as Obj);
const templateOf = (doc: Obj): PodTemplateSpec => (doc['spec'] as { template: PodTemplateSpec }).template;

describe('trellis kube-inject', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-kube-inject-'));
  writeFileSync(path.join(dir, 'bookinfo.yaml'), `${SERVICE}---\n${DEPLOYMENT}`);
  const cli = (argv: string[], stdin?: string) => runCli(argv, { cwd: dir, ...(stdin === undefined ? {} : { stdin }) });

  it('injects istio-proxy and trellis-init into a Deployment and passes other documents through', async () => {
    const res = await cli(['kube-inject', '-f', 'bookinfo.yaml']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^# the reviews Service\n/);
    const [service, deployment] = docsOf(res.stdout);
    expect(service).toEqual(docsOf(SERVICE)[0]);
    const template = templateOf(deployment ?? {});
    expect(template.spec.containers.map((c) => c.name)).toEqual(['istio-proxy', 'reviews']);
    expect(template.spec.initContainers?.map((c) => c.name)).toEqual(['trellis-init']);
    expect(template.spec.containers[0]?.image).toBe('trellis/proxy:dev');
    expect(template.metadata?.annotations?.['sidecar.istio.io/status']).toContain('istio-proxy');
    expect(template.spec.containers[0]?.env).toEqual(expect.arrayContaining([{ name: 'TRELLIS_XDS_ADDRESS', value: 'istiod.istio-system.svc:15010' }]));
  });

  it('reads stdin with -f -, honours --proxy-image / --discovery-address, and writes -o FILE', async () => {
    const argv = ['kube-inject', '-f', '-', '-o', 'out.yaml', '--proxy-image', 'registry.local/proxy:1', '--discovery-address', 'cp.mesh:15010'];
    const res = await cli(argv, DEPLOYMENT);
    expect(res).toEqual({ code: 0, stdout: '', stderr: '' });
    const template = templateOf(docsOf(readFileSync(path.join(dir, 'out.yaml'), 'utf8'))[0] ?? {});
    expect(template.spec.containers[0]?.image).toBe('registry.local/proxy:1');
    expect(template.spec.initContainers?.[0]?.image).toBe('registry.local/proxy:1');
    expect(template.spec.containers[0]?.env).toEqual(expect.arrayContaining([{ name: 'TRELLIS_XDS_ADDRESS', value: 'cp.mesh:15010' }]));
  });

  it('leaves opted-out workloads uninjected', async () => {
    const optedOut = DEPLOYMENT.replace('labels: {app: reviews, version: v1}', 'labels: {app: reviews, version: v1, sidecar.istio.io/inject: "false"}');
    expect(docsOf((await cli(['kube-inject', '-f', '-'], optedOut)).stdout)).toEqual(docsOf(optedOut));
  });

  it('fails with kubectl-style errors on usage, missing files and bad YAML', async () => {
    expect(await cli(['kube-inject'])).toEqual({ code: 1, stdout: '', stderr: 'error: filename not specified (-f FILE or -f -)\n' });
    expect(await cli(['kube-inject', '-f', 'nope.yaml'])).toEqual({ code: 1, stdout: '', stderr: 'error: the path "nope.yaml" cannot be read\n' });
    const bad = await cli(['kube-inject', '-f', '-'], 'kind: [unclosed\n');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: error parsing STDIN: manifest is not valid YAML/);
  });
});
