import { readKubeManifest } from './manifest';
import { appOfImage, planLocalMesh, toWorkload } from './plan';
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
    expect(plan.controlPlane).toEqual({ ip: '127.0.77.1', xdsPort: 15010, httpPort: 15014 });
    expect(plan.gateway.ip).toBe('127.0.77.2');
    expect(plan.gateway.labels).toEqual({ app: 'istio-ingressgateway', istio: 'ingressgateway' });
    expect(plan.gateway.publish).toEqual({ port: 8080, host: '127.0.0.1', hostPort: 18080 });
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

  it('reports invalid YAML with the source and document index', () => {
    expect(() => readKubeManifest('a: [1\n---\n', 'bad.yaml')).toThrow(expect.objectContaining({ code: 'MANIFEST_INVALID' }));
  });
});
