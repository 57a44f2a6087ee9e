import { ENABLED_NAMESPACE, TEST_MESH } from '../testing/fixtures';
import { injectPod } from './inject';
import type { Pod } from './types';

const base = (): Pod => ({ metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } });
const inject = (pod: Pod, meshConfig = TEST_MESH) => injectPod(pod, { namespaceLabels: ENABLED_NAMESPACE, meshConfig });
const env = (pod: Pod, name: string) => pod.spec.containers.find((c) => c.name === 'istio-proxy')!.env!.find((e) => e.name === name);

describe('injectPod', () => {
  it('hands the pod\'s proxy.istio.io/config to the proxy as PROXY_CONFIG (JSON); none without the annotation', () => {
    const pod = base();
    pod.metadata!.annotations = { 'proxy.istio.io/config': 'tracing:\n  sampling: 50\n' };
    expect(env(inject(pod).pod, 'PROXY_CONFIG')?.value).toBe('{"tracing":{"sampling":50}}');
    expect(env(inject(base()).pod, 'PROXY_CONFIG')).toBeUndefined();
  });

  it("merges the mesh's defaultConfig under the annotation into PROXY_CONFIG, as istiod does (read at each injection)", () => {
    let defaults: Record<string, unknown> | undefined = { terminationDrainDuration: '20s', proxyMetadata: { SECRET_TTL: '1h' } };
    const mesh = { ...TEST_MESH, defaultProxyConfig: () => defaults };
    expect(JSON.parse(env(inject(base(), mesh).pod, 'PROXY_CONFIG')!.value!)).toEqual({ terminationDrainDuration: '20s', proxyMetadata: { SECRET_TTL: '1h' } });
    const pod = base();
    pod.metadata!.annotations = { 'proxy.istio.io/config': 'terminationDrainDuration: 0s\nproxyMetadata: {HTTP10: "1"}\n' };
    expect(JSON.parse(env(inject(pod, mesh).pod, 'PROXY_CONFIG')!.value!)).toEqual({ terminationDrainDuration: '0s', proxyMetadata: { SECRET_TTL: '1h', HTTP10: '1' } });
    defaults = undefined;
    expect(env(inject(base(), mesh).pod, 'PROXY_CONFIG')).toBeUndefined();
  });

  it('does not mutate its input', () => {
    const pod = base();
    const copy = structuredClone(pod);
    inject(pod);
    expect(pod).toEqual(copy);
  });

  it('appends the proxy without a postStart hook when holdApplicationUntilProxyStarts is off', () => {
    const { pod } = inject(base(), { ...TEST_MESH, holdApplicationUntilProxyStarts: false });
    expect(pod.spec.containers.map((c) => c.name)).toEqual(['web', 'istio-proxy']);
    expect(pod.spec.containers[1]!['lifecycle']).toBeUndefined();
  });

  it("gives the sidecar Istio's identity mounts: projected istio-token (istio-ca, 12 h), istio-ca-root-cert, CA_ADDR", () => {
    const { pod } = inject(base(), { ...TEST_MESH, caAddress: 'istiod.mesh.svc:15012' });
    expect(env(pod, 'CA_ADDR')?.value).toBe('istiod.mesh.svc:15012');
    const volumes = Object.fromEntries((pod.spec.volumes ?? []).map((v) => [v.name, v]));
    expect(volumes['istio-token']).toEqual({ name: 'istio-token', projected: { sources: [{ serviceAccountToken: { audience: 'istio-ca', expirationSeconds: 43200, path: 'istio-token' } }] } });
    expect(volumes['istiod-ca-cert']).toEqual({ name: 'istiod-ca-cert', configMap: { name: 'istio-ca-root-cert' } });
    const mounts = pod.spec.containers.find((c) => c.name === 'istio-proxy')!['volumeMounts'];
    expect(mounts).toEqual(expect.arrayContaining([{ name: 'istio-token', mountPath: '/var/run/secrets/tokens', readOnly: true }, { name: 'istiod-ca-cert', mountPath: '/var/run/secrets/istio', readOnly: true }]));
    // Re-injection removes them through the status annotation and adds them once.
    const again = inject(pod).pod;
    expect((again.spec.volumes ?? []).filter((v) => v.name === 'istio-token')).toHaveLength(1);
    // first-party-jwt (no token projection): only the root; the agent reads the legacy token.
    const legacy = inject(base(), { ...TEST_MESH, jwtPolicy: 'first-party-jwt' }).pod;
    expect((legacy.spec.volumes ?? []).map((v) => v.name)).toEqual(['trellis-podinfo', 'istiod-ca-cert']);
  });

  it('passes mesh settings to the proxy env', () => {
    const { pod } = inject(base(), { ...TEST_MESH, discoveryAddress: 'cp.trellis:15010', accessLog: true, drainMs: 1000 });
    expect(env(pod, 'TRELLIS_XDS_ADDRESS')?.value).toBe('cp.trellis:15010');
    expect(env(pod, 'TRELLIS_ACCESS_LOG')?.value).toBe('true');
    expect(env(pod, 'TRELLIS_DRAIN_MS')?.value).toBe('1000');
    expect(JSON.parse(env(pod, 'TRELLIS_POD_LABELS')!.value!)).toMatchObject({ app: 'web', 'security.istio.io/tlsMode': 'istio' });
  });

  it('escapes $( in literal env values so Kubernetes does not expand them', () => {
    const pod = base();
    pod.metadata!.annotations = { 'prometheus.io/path': '/m$(X)' };
    expect(env(inject(pod).pod, 'ISTIO_PROMETHEUS_ANNOTATIONS')?.value).toBe('{"path":"/m$$(X)"}');
  });

  it('keeps user-set canonical labels and default container', () => {
    const pod = base();
    pod.metadata!.labels = { 'service.istio.io/canonical-name': 'shop-web' };
    pod.metadata!.annotations = { 'kubectl.kubernetes.io/default-container': 'other' };
    const out = inject(pod).pod.metadata!;
    expect(out.labels!['service.istio.io/canonical-name']).toBe('shop-web');
    expect(out.annotations!['kubectl.kubernetes.io/default-container']).toBe('other');
  });

  it.each<[string, (p: Pod) => void, string]>([
    ['no containers', (p) => { p.spec.containers = []; }, 'spec.containers'],
    ['a container named istio-proxy', (p) => { p.spec.containers.push({ name: 'istio-proxy' }); }, ''],
    ['a non-string label', (p) => { (p.metadata!.labels as Record<string, unknown>)['x'] = 1; }, 'metadata.labels'],
    ['a malformed status annotation', (p) => { p.metadata!.annotations = { 'sidecar.istio.io/status': '{' }; }, ''],
    ['a bad capture annotation', (p) => { p.metadata!.annotations = { 'traffic.sidecar.istio.io/excludeOutboundPorts': 'x' }; }, ''],
  ])('throws a typed error for %s', (_name, change, field) => {
    const pod = base();
    change(pod);
    let caught: unknown;
    try { inject(pod); } catch (err) { caught = err; }
    expect(caught).toMatchObject({ code: expect.stringMatching(/^INJECT_/) });
    if (field) expect(caught).toMatchObject({ context: { field } });
  });
});
