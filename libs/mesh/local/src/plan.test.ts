import { readFileSync } from 'node:fs';
import path from 'node:path';
import { readKubeManifest, readKubeManifests } from './manifest';
import { appOfImage, imageServiceVersion, planLocalMesh, toWorkload } from './plan';
import { podName } from './pod-names';

const MANIFEST = `
apiVersion: v1
kind: Service
metadata: { name: reviews, labels: { app: reviews, service: reviews } }
spec:
  ports: [{ port: 9080, name: http }]
  selector: { app: reviews }
---
apiVersion: v1
kind: ServiceAccount
metadata: { name: bookinfo-reviews }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: reviews-v2, labels: { app: reviews, version: v2 } }
spec:
  replicas: 1
  selector: { matchLabels: { app: reviews, version: v2 } }
  template:
    metadata: { labels: { app: reviews, version: v2 } }
    spec:
      serviceAccountName: bookinfo-reviews
      containers:
        - name: reviews
          image: trellis/examples-bookinfo-reviews:dev
          env: [{ name: SERVICE_VERSION, value: v2 }, { name: STAR_COLOR, value: black }]
          ports: [{ containerPort: 9080 }]
`;

describe('local plan', () => {
  const manifest = readKubeManifest(MANIFEST, 'test.yaml');
  const plan = planLocalMesh(manifest, {
    addressBlock: '127.0.77',
    gatewayHost: '127.0.0.1',
    gatewayPort: 18080,
    gatewayHttpsPort: 18443,
    namespace: 'default',
    domainSuffix: 'cluster.local',
  });

  it('derives services with FQDN, port protocol and selector from the manifest', () => {
    expect(plan.services).toEqual([
      {
        name: 'reviews',
        namespace: 'default',
        hostname: 'reviews.default.svc.cluster.local',
        ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' }],
        selector: { app: 'reviews' },
        labels: { app: 'reviews', service: 'reviews' },
      },
    ]);
  });

  it('plans one pod per replica with a Kubernetes-like name, its own address, and the app behind the sidecar', () => {
    expect(plan.pods).toHaveLength(1);
    const pod = plan.pods[0]!;
    expect(pod.name).toMatch(/^reviews-v2-[a-z0-9]{10}-[a-z0-9]{5}$/);
    expect(pod.ip).toBe('127.0.77.10');
    expect(pod.app).toBe('reviews');
    expect(pod.env).toEqual({ SERVICE_VERSION: 'v2', STAR_COLOR: 'black' });
    expect(pod.appEndpoints).toEqual({ '9080': '127.0.77.10:19080' });
    expect(toWorkload(pod)).toMatchObject({ address: '127.0.77.10', serviceAccount: 'bookinfo-reviews', sidecar: true });
  });

  it('puts the control plane and the gateway on their own addresses, publishing 8080 on the host port', () => {
    expect(plan.controlPlane).toEqual({ ip: '127.0.77.1', xdsPort: 15010, httpPort: 15014, caPort: 15012 });
    expect(plan.gateway.ip).toBe('127.0.77.2');
    expect(plan.gateway.labels).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(plan.gateway.publish).toEqual([
      { port: 8080, host: '127.0.0.1', hostPort: 18080 },
      { port: 8443, host: '127.0.0.1', hostPort: 18443 },
    ]);
  });

  it('gives the gateway the cluster’s istio-ingressgateway Service, so a Gateway on 443 maps to the published 8443', () => {
    const svc = plan.gateway.service;
    expect([svc.name, svc.namespace, svc.hostname, svc.selector]).toEqual(['istio-ingressgateway', 'istio-system', 'istio-ingressgateway.istio-system.svc.cluster.local', { app: 'istio-ingressgateway', istio: 'ingressgateway' }]);
    expect(svc.ports.map((p) => `${p.name} ${p.port}→${p.targetPort} ${p.protocol}`)).toEqual(['status-port 15021→15021 AUTO', 'http2 80→8080 HTTP2', 'https 443→8443 HTTPS', 'tcp 31400→31400 TCP', 'tls 15443→15443 TLS']);
    expect(plan.services.map((s) => s.name)).toEqual(['reviews']);
  });

  it('gives a sidecar the env injection derives from its pod annotations (productpage\'s prometheus.io/* → ISTIO_PROMETHEUS_ANNOTATIONS)', () => {
    const file = path.resolve(__dirname, '../../../../samples/bookinfo/platform/kube/bookinfo.yaml');
    const m = readKubeManifest(readFileSync(file, 'utf8'), file);
    const p = planLocalMesh(m, { addressBlock: '127.0.77', gatewayHost: '127.0.0.1', gatewayPort: 18080, gatewayHttpsPort: 18443, namespace: 'default', domainSuffix: 'cluster.local' });
    expect(p.pods.find((x) => x.deployment === 'productpage-v1')?.proxyEnv).toEqual({ ISTIO_PROMETHEUS_ANNOTATIONS: '{"scrape":"true","path":"/metrics","port":"9080"}' });
    expect(p.pods.find((x) => x.deployment === 'details-v1')?.proxyEnv).toEqual({});
  });

  it('maps images to Bookinfo apps', () => {
    expect(appOfImage('trellis/examples-bookinfo-productpage:dev')).toBe('productpage');
    expect(appOfImage('registry.istio.io/release/examples-bookinfo-reviews-v3:1.20.3')).toBe('reviews');
  });

  it('keeps the template hash stable and the suffix random', () => {
    const a = podName('details-v1', 'same');
    const b = podName('details-v1', 'same');
    expect(a.split('-').slice(0, 3)).toEqual(b.split('-').slice(0, 3));
    expect(podName('x', 't', () => Buffer.from([0, 1, 2, 3, 4]))).toMatch(/-bcdfg$/);
  });

  it('reads the SERVICE_VERSION a per-version image bakes in, unless the container sets it', () => {
    expect(imageServiceVersion('docker.io/istio/examples-bookinfo-ratings-v2:1.20.2')).toBe('v2');
    expect(imageServiceVersion('trellis/examples-bookinfo-ratings:dev')).toBeUndefined();
    expect(imageServiceVersion('docker.io/istio/examples-bookinfo-mysqldb:1.20.2')).toBeUndefined();
  });

  it('the mysql variant (bookinfo.yaml + bookinfo-mysql.yaml + bookinfo-ratings-v2-mysql.yaml): mysqldb on port tcp/3306, the root password from the Secret, ratings v2 with DB_TYPE=mysql', () => {
    const kube = path.resolve(__dirname, '../../../../samples/bookinfo/platform/kube');
    const files = ['bookinfo.yaml', 'bookinfo-mysql.yaml', 'bookinfo-ratings-v2-mysql.yaml'].map((f) => path.join(kube, f));
    const m = readKubeManifests(files.map((file) => ({ text: readFileSync(file, 'utf8'), source: file })));
    const p = planLocalMesh(m, { addressBlock: '127.0.77', gatewayHost: '127.0.0.1', gatewayPort: 18080, gatewayHttpsPort: 18443, namespace: 'default', domainSuffix: 'cluster.local' });
    expect(p.services.find((s) => s.name === 'mysqldb')?.ports).toEqual([{ name: 'tcp', port: 3306, targetPort: 3306, protocol: 'TCP' }]);
    const pods = p.pods.map((pod) => [pod.deployment, pod.ip, pod.app]);
    expect(pods.slice(0, 6).map((x) => x[1])).toEqual(['127.0.77.10', '127.0.77.11', '127.0.77.12', '127.0.77.13', '127.0.77.14', '127.0.77.15']);
    expect(pods.slice(6)).toEqual([
      ['mysqldb-v1', '127.0.77.16', 'mysqldb'],
      ['ratings-v2-mysql', '127.0.77.17', 'ratings'],
    ]);
    const [db, ratings] = p.pods.slice(6);
    expect(db?.env).toEqual({ MYSQL_ROOT_PASSWORD: 'password' });
    expect(db?.appEndpoints).toEqual({ '3306': '127.0.77.16:13306' });
    expect(ratings?.env).toEqual({ SERVICE_VERSION: 'v2', DB_TYPE: 'mysql', MYSQL_DB_HOST: 'mysqldb', MYSQL_DB_PORT: '3306', MYSQL_DB_USER: 'root', MYSQL_DB_PASSWORD: 'password' });
    expect(ratings?.labels).toEqual({ app: 'ratings', version: 'v2-mysql' });
  });

  it('resolves secretKeyRef env from a Secret in another manifest (stringData too); unknown refs stay unset', () => {
    const secret = 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: cGFzc3dvcmQ=}\nstringData: {b: plain}\n';
    const env = (name: string, key: string): string => `{name: ${name}, valueFrom: {secretKeyRef: {name: ${key.split('/')[0]}, key: ${key.split('/')[1]}}}}`;
    const dep = `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    metadata: {labels: {app: d}}\n    spec:\n      containers:\n      - {name: c, image: x, env: [${env('A', 's/a')}, ${env('B', 's/b')}, ${env('C', 'nope/a')}]}\n`;
    const m = readKubeManifests([{ text: dep, source: 'd.yaml' }, { text: secret, source: 's.yaml' }]);
    expect(m.deployments[0]?.containers[0]?.env).toEqual({ A: 'password', B: 'plain' });
  });

  it('reports invalid YAML with the source and document index', () => {
    expect(() => readKubeManifest('a: [1\n---\n', 'bad.yaml')).toThrow(expect.objectContaining({ code: 'MANIFEST_INVALID' }));
  });
});
