import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@trellis/shared';
import { adminClient, until } from '../testing/kube-env';
import { ConfigReloader } from './config-reloader';

const POD_JOB = 'scrape_configs:\n- job_name: pods\n  kubernetes_sd_configs:\n  - role: pod\n    namespaces: {names: [default]}\n';

describe('ConfigReloader (the config-reloader sidecar role)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-sd-reload-'));
  const reloads: string[] = [];
  const prometheus = createServer((req, res) => {
    reloads.push(`${req.method ?? ''} ${req.url ?? ''}`);
    res.end();
  });
  let reloader: ConfigReloader | undefined;

  beforeAll(() => new Promise<void>((resolve) => prometheus.listen(0, '127.0.0.1', resolve)));
  afterAll(async () => {
    await reloader?.close();
    await new Promise((r) => prometheus.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('renders a changed prometheus.yml again, then POSTs /-/reload; a broken one changes nothing', async () => {
    const configFile = join(dir, 'prometheus.yml');
    const outputFile = join(dir, 'out.yml');
    writeFileSync(configFile, POD_JOB);
    const url = `http://127.0.0.1:${(prometheus.address() as AddressInfo).port}/-/reload`;
    reloader = new ConfigReloader({ render: { configFile, outputFile, targetsDir: join(dir, 't'), namespace: undefined }, client: adminClient(), logger: silentLogger(), reloadUrl: url, pollMs: 50 });
    await reloader.start();
    expect(readFileSync(outputFile, 'utf8')).toContain('t/pod_0.json');
    expect(reloads).toEqual([]);

    writeFileSync(configFile, `${POD_JOB}- job_name: services\n  kubernetes_sd_configs:\n  - role: service\n`);
    await until('the reload', async () => (reloads.length > 0 ? true : undefined), 10_000);
    expect(reloads).toEqual(['POST /-/reload']);
    expect(readFileSync(outputFile, 'utf8')).toContain('t/service_0.json');
    // The new discovery writes the Services it lists (the API server's own `kubernetes` Service at least).
    await until('service targets', async () => (readFileSync(join(dir, 't', 'service_0.json'), 'utf8').includes('kubernetes.default.svc:443') ? true : undefined), 10_000);

    const rendered = readFileSync(outputFile, 'utf8');
    writeFileSync(configFile, `${POD_JOB}  - role: ingress\n`);
    await new Promise((r) => setTimeout(r, 500));
    expect(readFileSync(outputFile, 'utf8')).toBe(rendered);
    expect(reloads).toHaveLength(1);
    expect(existsSync(join(dir, 't', 'pod_1.json'))).toBe(false);
  });
});
