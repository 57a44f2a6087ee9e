/** The adapter against a real kube-apiserver (tools/kube-env): rendered config, target files kept current. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@trellis/shared';
import type { KubeObject } from '@trellis/mesh-kube';
import type { FileSdGroup } from '../core/labels';
import { adminClient, until } from '../testing/kube-env';
import { renderToDisk } from './render';
import { SdRunner } from './sd-runner';

const NS = 'promsd-test';
const client = adminClient();

const CONFIG = `global: {scrape_interval: 15s}
scrape_configs:
- job_name: kubernetes-pods
  kubernetes_sd_configs:
  - role: pod
    namespaces: {own_namespace: true}
- job_name: kubernetes-service-endpoints
  kubernetes_sd_configs:
  - role: endpoints
    namespaces: {names: [${NS}]}
- job_name: everything-else
  kubernetes_sd_configs:
  - role: pod
    selectors: [{role: pod, label: app=none}]
`;

const readGroups = (path: string): FileSdGroup[] => JSON.parse(readFileSync(path, 'utf8')) as FileSdGroup[];

async function setPodStatus(name: string, status: Record<string, unknown>): Promise<void> {
  await client.request('PATCH', `/api/v1/namespaces/${NS}/pods/${name}/status`, { body: { status }, contentType: 'application/merge-patch+json' });
}

describe('SdRunner against the API server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-sd-run-'));
  let runner: SdRunner | undefined;

  beforeAll(async () => {
    await client.request('POST', '/api/v1/namespaces', { body: { metadata: { name: NS } } }).catch(() => undefined);
    await until('the default ServiceAccount', async () => {
      const sa = await client.request<KubeObject & { secrets?: unknown[] }>('GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`);
      return (sa.secrets?.length ?? 0) > 0 ? sa : undefined;
    }, 30_000);
  });

  afterAll(async () => {
    await runner?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders the configuration, then keeps pod and endpoints targets current through changes', async () => {
    writeFileSync(join(dir, 'prometheus.yml'), CONFIG);
    const { files, created } = await renderToDisk({ configFile: join(dir, 'prometheus.yml'), outputFile: join(dir, 'out', 'prometheus.yml'), targetsDir: join(dir, 'targets'), namespace: NS });
    expect(files.map((f) => [f.path.slice(dir.length), f.discovery.namespaces])).toEqual([
      ['/targets/pod_0.json', [NS]],
      ['/targets/endpoints_0.json', [NS]],
      ['/targets/pod_1.json', []],
    ]);
    expect(created).toHaveLength(3);
    expect(readFileSync(join(dir, 'out', 'prometheus.yml'), 'utf8')).toContain(`- ${dir}/targets/pod_0.json`);

    await client.request('POST', `/api/v1/namespaces/${NS}/pods`, {
      body: {
        metadata: { name: 'reviews-v1', labels: { app: 'reviews', version: 'v1' }, annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020' } },
        spec: { containers: [{ name: 'reviews', image: 'r', ports: [{ containerPort: 9080 }] }, { name: 'istio-proxy', image: 'p' }] },
      },
    });
    await client.request('POST', `/api/v1/namespaces/${NS}/services`, { body: { metadata: { name: 'reviews', annotations: { 'prometheus.io/scrape': 'true' } }, spec: { ports: [{ name: 'http', port: 9080 }] } } });
    await client.request('POST', `/api/v1/namespaces/${NS}/endpoints`, {
      body: { metadata: { name: 'reviews' }, subsets: [{ addresses: [{ ip: '10.1.0.7', targetRef: { kind: 'Pod', name: 'reviews-v1', namespace: NS } }], ports: [{ name: 'http', port: 9080, protocol: 'TCP' }] }] },
    });

    runner = new SdRunner({ client, files, logger: silentLogger(), debounceMs: 50 });
    await runner.start();
    // No IP yet (no kubelet here): no pod targets; the endpoints target is there at once.
    expect(readGroups(join(dir, 'targets', 'pod_0.json'))).toEqual([]);
    expect(readGroups(join(dir, 'targets', 'endpoints_0.json')).map((g) => g.targets[0])).toEqual(['10.1.0.7:9080']);

    await setPodStatus('reviews-v1', { phase: 'Running', podIP: '10.1.0.7', hostIP: '10.0.0.1', conditions: [{ type: 'Ready', status: 'True' }] });
    const pods = await until('pod targets', async () => {
      const g = readGroups(join(dir, 'targets', 'pod_0.json'));
      return g.length === 2 ? g : undefined;
    }, 10_000);
    expect(pods.map((g) => g.targets[0])).toEqual(['10.1.0.7:9080', '10.1.0.7']);
    expect(pods[1]?.labels).toMatchObject({
      __meta_kubernetes_namespace: NS,
      __meta_kubernetes_pod_name: 'reviews-v1',
      __meta_kubernetes_pod_label_app: 'reviews',
      __meta_kubernetes_pod_annotation_prometheus_io_port: '15020',
      __meta_kubernetes_pod_container_name: 'istio-proxy',
      __meta_kubernetes_pod_ready: 'true',
      __meta_kubernetes_pod_phase: 'Running',
    });
    const eps = readGroups(join(dir, 'targets', 'endpoints_0.json'));
    expect(eps[0]?.labels).toMatchObject({ __meta_kubernetes_service_annotation_prometheus_io_scrape: 'true', __meta_kubernetes_pod_name: 'reviews-v1', __meta_kubernetes_pod_container_name: 'reviews' });
    expect(readGroups(join(dir, 'targets', 'pod_1.json'))).toEqual([]);

    await client.request('DELETE', `/api/v1/namespaces/${NS}/pods/reviews-v1`, { query: { gracePeriodSeconds: 0 } });
    await until('pod targets gone', async () => (readGroups(join(dir, 'targets', 'pod_0.json')).length === 0 ? true : undefined), 10_000);
  });
});
