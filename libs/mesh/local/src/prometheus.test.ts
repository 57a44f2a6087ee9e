import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { addonRegistration, addonUrl } from './addon-services';
import { AddonsFile, readLocalAddons } from './addons-file';
import { findPrometheus, preparePrometheus, prometheusConfig, promLabelName } from './prometheus';
import { testPlan } from './test-plan';

describe('local Prometheus configuration', () => {
  const plan = testPlan('127.0.77');
  type Job = { job_name: string; honor_labels?: boolean; metrics_path?: string; static_configs: { targets: string[]; labels?: Record<string, string> }[] };
  const jobs = (prometheusConfig(plan)['scrape_configs'] as Job[]).reduce<Record<string, Job>>((m, j) => ({ ...m, [j.job_name]: j }), {});

  it('scrapes every proxy (gateway and sidecars, not pods without one) at :15020/stats/prometheus (the merged endpoint) as Istio’s kubernetes-pods job', () => {
    const pods = jobs['kubernetes-pods'];
    expect(pods?.honor_labels).toBe(true);
    expect(pods?.metrics_path).toBe('/stats/prometheus');
    expect(pods?.static_configs.flatMap((c) => c.targets)).toEqual(['127.0.77.1:15014', '127.0.77.2:15020', '127.0.77.10:15020']);
  });

  it('labels each target as the relabelling does in a cluster: pod labels (sanitised), namespace, pod', () => {
    const reviews = jobs['kubernetes-pods']?.static_configs.find((c) => c.targets[0] === '127.0.77.10:15020');
    expect(reviews?.labels).toEqual({ app: 'reviews', version: 'v3', sidecar_istio_io_inject: 'true', namespace: 'default', pod: 'reviews-v3-abc-def' });
    const cp = jobs['kubernetes-pods']?.static_configs.find((c) => c.targets[0] === '127.0.77.1:15014');
    expect(cp?.labels?.['__metrics_path__']).toBe('/metrics');
    expect(promLabelName('app.kubernetes.io/name')).toBe('app_kubernetes_io_name');
  });

  it('writes prometheus.yml and a fresh data dir; listens on the control plane address :9090', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-prom-'));
    try {
      const spec = preparePrometheus('/usr/bin/prometheus', plan, dir);
      expect(spec.args).toContain('--web.listen-address=127.0.77.1:9090');
      const written = parse(readFileSync(path.join(dir, 'prometheus.yml'), 'utf8')) as Record<string, unknown>;
      expect(written).toEqual(prometheusConfig(plan));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the binary in the search dirs, else undefined (the stack then names the package)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-prom-bin-'));
    try {
      writeFileSync(path.join(dir, 'prometheus'), '');
      expect(findPrometheus(['/nonexistent', dir])).toBe(path.join(dir, 'prometheus'));
      expect(findPrometheus(['/nonexistent'])).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('addon registry entries and addons.json', () => {
  const plan = testPlan('127.0.78');

  it('zipkin: Services zipkin:9411 and tracing:80 → 9411 in istio-system, one pod without sidecar on the control plane address', () => {
    const reg = addonRegistration('zipkin', plan);
    expect(reg.services.map((s) => [s.hostname, s.ports.map((p) => `${p.port}->${p.targetPort}/${p.protocol}`)])).toEqual([
      ['zipkin.istio-system.svc.cluster.local', ['9411->9411/HTTP']],
      ['tracing.istio-system.svc.cluster.local', ['80->9411/HTTP']],
    ]);
    expect(reg.workload).toMatchObject({ namespace: 'istio-system', address: '127.0.78.1', labels: { app: 'zipkin' }, sidecar: false, ready: true });
    expect(reg.services.every((s) => Object.entries(s.selector).every(([k, v]) => reg.workload.labels[k] === v))).toBe(true);
    expect(addonUrl('zipkin', plan)).toBe('http://127.0.78.1:9411');
  });

  it('prometheus: Service prometheus:9090 selecting app.kubernetes.io/name=prometheus (istioctl dashboard’s selector)', () => {
    const reg = addonRegistration('prometheus', plan);
    expect(reg.services[0]?.hostname).toBe('prometheus.istio-system.svc.cluster.local');
    expect(reg.workload.labels['app.kubernetes.io/name']).toBe('prometheus');
    expect(addonUrl('prometheus', plan)).toBe('http://127.0.78.1:9090');
  });

  it('addons.json lists running and missing addons and goes away when the stack stops', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-addons-'));
    try {
      expect(readLocalAddons(dir)).toBeUndefined();
      const file = new AddonsFile(dir);
      file.started({ name: 'zipkin', url: 'http://127.0.78.1:9411' });
      file.failed({ name: 'prometheus', reason: 'prometheus is not installed', fix: 'apt-get install -y prometheus' });
      expect(readLocalAddons(dir)).toEqual({ running: [{ name: 'zipkin', url: 'http://127.0.78.1:9411' }], missing: [{ name: 'prometheus', reason: 'prometheus is not installed', fix: 'apt-get install -y prometheus' }] });
      file.remove();
      expect(readLocalAddons(dir)).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
