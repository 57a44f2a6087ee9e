import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTrellisError } from '@trellis/shared';
import { parse } from 'yaml';
import { istioPrometheusYml } from '../testing/istio-config';
import { PROMETHEUS_CONFIG_INVALID, renderConfig } from './rewrite';
import { SD_CONFIG_INVALID } from './discovery';

const GOLDEN = join(__dirname, '../testdata/istio-prometheus.rendered.yml');
const opts = { targetDir: '/etc/prometheus-sd/targets', source: '/etc/config/prometheus.yml' };

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (err) {
    if (isTrellisError(err)) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('expected an error');
}

describe('renderConfig on Istio prometheus.yml', () => {
  const rendered = renderConfig(istioPrometheusYml(), opts);

  it('matches the golden rendering (UPDATE_GOLDEN=1 rewrites it)', () => {
    if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(GOLDEN, rendered.text);
    expect(rendered.text).toBe(readFileSync(GOLDEN, 'utf8'));
  });

  it('shares one file per distinct discovery: endpoints, node, pod, service', () => {
    expect(rendered.files.map((f) => [f.path, f.discovery.role, f.jobs])).toEqual([
      ['/etc/prometheus-sd/targets/endpoints_0.json', 'endpoints', ['kubernetes-api-servers', 'kubernetes-service-endpoints', 'kubernetes-service-endpoints-slow']],
      ['/etc/prometheus-sd/targets/node_0.json', 'node', ['kubernetes-nodes', 'kubernetes-nodes-cadvisor']],
      ['/etc/prometheus-sd/targets/pod_0.json', 'pod', ['kubernetes-pods', 'kubernetes-pods-slow']],
      ['/etc/prometheus-sd/targets/service_0.json', 'service', ['kubernetes-services', 'prometheus-pushgateway']],
    ]);
  });

  it('keeps every other field as written: only kubernetes_sd_configs became file_sd_configs', () => {
    const before = parse(istioPrometheusYml()) as { scrape_configs: Record<string, unknown>[] };
    const after = parse(rendered.text) as { scrape_configs: Record<string, unknown>[] };
    expect(after.scrape_configs).toHaveLength(before.scrape_configs.length);
    before.scrape_configs.forEach((job, i) => {
      const out = after.scrape_configs[i] ?? {};
      expect(out['kubernetes_sd_configs']).toBeUndefined();
      const { kubernetes_sd_configs: sd, ...rest } = job;
      const { file_sd_configs: files, ...outRest } = out;
      expect(outRest).toEqual(rest);
      expect(Array.isArray(files) ? files.length : 0).toBe(Array.isArray(sd) ? sd.length : 0);
    });
    expect(parse(rendered.text)).toMatchObject({ global: { scrape_interval: '15s' }, rule_files: expect.arrayContaining(['/etc/config/rules']) as unknown });
  });
});

describe('renderConfig: namespaces, selectors and bad input', () => {
  const cfg = (sd: string): string => `scrape_configs:\n- job_name: j\n  file_sd_configs:\n  - files: [/x.json]\n  kubernetes_sd_configs:\n${sd}`;

  it('keeps existing file_sd_configs, resolves own_namespace, separates different namespaces', () => {
    const r = renderConfig(cfg('  - role: pod\n    namespaces: {names: [b, a], own_namespace: true}\n  - role: pod\n'), { ...opts, ownNamespace: 'istio-system' });
    expect(r.files.map((f) => [f.path, f.discovery.namespaces])).toEqual([
      ['/etc/prometheus-sd/targets/pod_0.json', ['b', 'a', 'istio-system']],
      ['/etc/prometheus-sd/targets/pod_1.json', []],
    ]);
    expect((parse(r.text) as { scrape_configs: { file_sd_configs: unknown }[] }).scrape_configs[0]?.file_sd_configs).toEqual([
      { files: ['/x.json'] },
      { files: ['/etc/prometheus-sd/targets/pod_0.json'] },
      { files: ['/etc/prometheus-sd/targets/pod_1.json'] },
    ]);
  });

  it('accepts an endpoints discovery selecting its pods and services', () => {
    const r = renderConfig(cfg('  - role: endpoints\n    selectors:\n    - {role: pod, label: app=x}\n    - {role: endpoints, field: metadata.name=y}\n'), opts);
    expect(r.files[0]?.discovery.selectors).toEqual([
      { role: 'pod', label: 'app=x' },
      { role: 'endpoints', field: 'metadata.name=y' },
    ]);
  });

  it.each([
    ['  - role: ingress\n', 'kubernetes_sd_configs[0].role: role ingress is not served'],
    ['  - {}\n', 'kubernetes_sd_configs[0].role: role missing'],
    ['  - role: pods\n', 'unknown Kubernetes SD role'],
    ['  - role: pod\n    api_server: https://x\n', 'kubernetes_sd_configs[0].api_server: not supported by prometheus-sd'],
    ['  - role: pod\n    selectors: [{role: service}]\n', 'selectors[0].role: service is not a valid selector role for a pod discovery'],
    ['  - role: pod\n    namespaces: {own_namespace: true}\n', 'does not know its own namespace'],
    ['  - role: pod\n    namespaces: {names: default}\n', 'namespaces.names: should be a list'],
  ])('rejects %j naming the job and field', (sd, message) => {
    const e = errorOf(() => renderConfig(cfg(sd), opts));
    expect(e.code).toBe(SD_CONFIG_INVALID);
    expect(e.message).toContain('scrape_configs job "j": ');
    expect(e.message).toContain(message);
  });

  it('rejects YAML that is not a Prometheus configuration', () => {
    expect(errorOf(() => renderConfig('a: [', opts))).toMatchObject({ code: PROMETHEUS_CONFIG_INVALID, message: '/etc/config/prometheus.yml: not valid YAML' });
    expect(errorOf(() => renderConfig('scrape_configs: {}', opts)).code).toBe(PROMETHEUS_CONFIG_INVALID);
  });
});
