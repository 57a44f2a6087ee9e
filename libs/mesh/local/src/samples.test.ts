import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseYamlDocuments } from '@trellis/mesh-api';
import { readKubeManifest } from './manifest';
import { appOfImage, planLocalMesh, toWorkload } from './plan';
import { readStackManifests } from './sample-manifests';
import { nodeSampleReadyEndpoints, nodeSampleSpec } from './sample-node-apps';
import { isCommandPod, isHttpbinPod, isSamplePod } from './sample-pods';

// Istio's samples/httpbin, samples/sleep, samples/curl as upstream ships them, and what local mode plans from them.
const ROOT = path.resolve(__dirname, '../../../..');
const sample = (p: string): string => path.join(ROOT, 'samples', p);
const read = (p: string): string => readFileSync(sample(p), 'utf8');
const OPTIONS = { addressBlock: '127.0.77', gatewayHost: '127.0.0.1', gatewayPort: 8080, gatewayHttpsPort: 8443, namespace: 'default', domainSuffix: 'cluster.local' };

describe("Istio's samples (httpbin, sleep, curl)", () => {
  it.each(['httpbin/httpbin.yaml', 'httpbin/httpbin-nodeport.yaml', 'sleep/sleep.yaml', 'curl/curl.yaml'])('%s parses as YAML', (file) => {
    const { objects, errors } = parseYamlDocuments(read(file), file);
    expect(errors).toEqual([]);
    expect(objects.length).toBeGreaterThan(1);
  });

  it('httpbin.yaml: ServiceAccount httpbin, Service httpbin http 8000 → 8080, Deployment httpbin v1 on go-httpbin', () => {
    const docs = parseYamlDocuments(read('httpbin/httpbin.yaml'), 'httpbin.yaml').objects as { kind: string; metadata: { name: string } }[];
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual(['ServiceAccount/httpbin', 'Service/httpbin', 'Deployment/httpbin']);
    const m = readKubeManifest(read('httpbin/httpbin.yaml'), 'httpbin.yaml');
    expect(m.services).toEqual([{ name: 'httpbin', namespace: 'default', labels: { app: 'httpbin', service: 'httpbin' }, selector: { app: 'httpbin' }, ports: [{ name: 'http', port: 8000, targetPort: 8080 }] }]);
    const [dep] = m.deployments;
    expect([dep?.podLabels, dep?.serviceAccount, dep?.containers[0]?.image, dep?.containers[0]?.ports]).toEqual([{ app: 'httpbin', version: 'v1' }, 'httpbin', 'docker.io/mccutchen/go-httpbin:v2.15.0', [8080]]);
    expect(appOfImage(dep?.containers[0]?.image ?? '')).toBe('go-httpbin');
  });

  it('httpbin-nodeport.yaml: the same Service as NodePort, no ServiceAccount', () => {
    const m = readKubeManifest(read('httpbin/httpbin-nodeport.yaml'), 'httpbin-nodeport.yaml');
    expect(m.services[0]?.ports).toEqual([{ name: 'http', port: 8000, targetPort: 8080 }]);
    expect(m.deployments[0]?.serviceAccount).toBe('default');
    expect(read('httpbin/httpbin-nodeport.yaml')).toMatch(/type: NodePort/);
  });

  it.each(['sleep', 'curl'])('%s.yaml: ServiceAccount, Service http 80, Deployment running /bin/sleep infinity on curlimages/curl', (name) => {
    const m = readKubeManifest(read(`${name}/${name}.yaml`), `${name}.yaml`);
    expect(m.services[0]).toMatchObject({ name, labels: { app: name, service: name }, selector: { app: name }, ports: [{ name: 'http', port: 80, targetPort: 80 }] });
    const c = m.deployments[0]?.containers[0];
    expect([m.deployments[0]?.serviceAccount, c?.name, c?.image.split(':')[0], c?.command]).toEqual([name, name, 'curlimages/curl', ['/bin/sleep', 'infinity']]);
  });

  it('plans httpbin + sleep in default, foo, and a legacy sleep without sidecar (kubectl apply -n, with and without kube-inject)', () => {
    const manifest = readStackManifests([], [
      { file: sample('httpbin/httpbin.yaml'), namespace: 'default', sidecar: true },
      { file: sample('sleep/sleep.yaml'), namespace: 'default', sidecar: true },
      { file: sample('httpbin/httpbin.yaml'), namespace: 'foo', sidecar: true },
      { file: sample('sleep/sleep.yaml'), namespace: 'legacy', sidecar: false },
      { file: sample('sleep/sleep.yaml'), namespace: 'legacy', sidecar: false },
    ]);
    const plan = planLocalMesh(manifest, OPTIONS);
    expect(plan.services.map((s) => s.hostname)).toEqual(['httpbin.default.svc.cluster.local', 'sleep.default.svc.cluster.local', 'httpbin.foo.svc.cluster.local', 'sleep.legacy.svc.cluster.local']);
    expect(plan.pods.map((p) => [p.deployment, p.namespace, p.sidecar, p.container])).toEqual([
      ['httpbin', 'default', true, 'httpbin'], ['sleep', 'default', true, 'sleep'], ['httpbin', 'foo', true, 'httpbin'], ['sleep', 'legacy', false, 'sleep'],
    ]);
    const [httpbin, sleep, , legacy] = plan.pods;
    expect(httpbin?.appEndpoints).toEqual({ '8080': `${httpbin?.ip}:18080` });
    expect([isHttpbinPod(httpbin!), isCommandPod(sleep!), sleep?.command]).toEqual([true, true, ['/bin/sleep', 'infinity']]);
    expect(toWorkload(legacy!)).toMatchObject({ namespace: 'legacy', serviceAccount: 'sleep', sidecar: false });
    expect(toWorkload(sleep!).sidecar).toBe(true);
  });

  it('a no-sidecar httpbin listens on its container port itself', () => {
    const manifest = readStackManifests([], [{ file: sample('httpbin/httpbin.yaml'), namespace: 'legacy', sidecar: false }]);
    const [pod] = planLocalMesh(manifest, OPTIONS).pods;
    expect(pod?.appEndpoints).toEqual({ '8080': `${pod?.ip}:8080` });
  });
});

describe('the samples built here: extauthz (Istio\'s ext-authz.yaml) and jwt-server', () => {
  it.each(['extauthz/ext-authz.yaml', 'jwt-server/jwt-server.yaml'])('%s parses as YAML', (file) => {
    expect(parseYamlDocuments(read(file), file).errors).toEqual([]);
  });

  it('ext-authz.yaml: Service http 8000 + grpc 9000; the pod opts out of injection, so it runs the app on its container ports', () => {
    const manifest = readStackManifests([], [{ file: sample('extauthz/ext-authz.yaml'), namespace: 'foo', sidecar: true }]);
    expect(manifest.services[0]).toMatchObject({ name: 'ext-authz', namespace: 'foo', ports: [{ name: 'http', port: 8000, targetPort: 8000 }, { name: 'grpc', port: 9000, targetPort: 9000 }] });
    const [pod] = planLocalMesh(manifest, OPTIONS).pods;
    expect([pod?.app, pod?.sidecar, pod?.appEndpoints]).toEqual(['ext-authz', false, { '8000': `${pod?.ip}:8000`, '9000': `${pod?.ip}:9000` }]);
    expect([isSamplePod(pod!), isCommandPod(pod!), isHttpbinPod(pod!)]).toEqual([true, false, false]);
    expect(nodeSampleSpec(pod!, '/repo/dist')).toMatchObject({ script: '/repo/dist/apps/ext-authz/main.js', args: ['-host', pod?.ip, '-http', '8000', '-grpc', '9000'] });
    expect(nodeSampleReadyEndpoints(pod!)).toEqual([{ host: pod?.ip, port: 8000 }, { host: pod?.ip, port: 9000 }]);
  });

  it('jwt-server.yaml in istio-system, with its sidecar: the app behind it on 18000', () => {
    const manifest = readStackManifests([], [{ file: sample('jwt-server/jwt-server.yaml'), namespace: 'istio-system', sidecar: true }]);
    const plan = planLocalMesh(manifest, OPTIONS);
    expect(plan.services.map((s) => `${s.hostname}:${s.ports.map((p) => p.port).join(',')}`)).toEqual(['jwt-server.istio-system.svc.cluster.local:8000']);
    const [pod] = plan.pods;
    expect([pod?.app, pod?.sidecar]).toEqual(['jwt-server', true]);
    expect(nodeSampleSpec(pod!, '/d').args).toEqual(['-host', pod?.ip, '-http', '18000']);
  });

  it('the inject label wins over a sidecar asked for; other samples keep theirs', () => {
    const manifest = readStackManifests([], [
      { file: sample('extauthz/ext-authz.yaml'), namespace: 'default', sidecar: true },
      { file: sample('sleep/sleep.yaml'), namespace: 'default', sidecar: true },
    ]);
    expect(manifest.deployments.map((d) => [d.name, d.sidecar])).toEqual([['ext-authz', false], ['sleep', true]]);
  });
});
