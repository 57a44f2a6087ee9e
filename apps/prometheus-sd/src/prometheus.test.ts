/**
 * The real `prometheus` (Debian's 2.42, no Kubernetes discovery) with Istio's addon configuration as the adapter
 * renders it, and a pod target file written by the adapter's pod mapping: Istio's relabelling must turn the pod
 * into the scrape of its sidecar's merged :15020/stats/prometheus, labelled namespace, pod, app and version.
 * Skipped, saying so, when prometheus is not installed (apt-get install -y prometheus).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { podGroups } from './core/pod';
import { renderConfig } from './core/rewrite';
import { fileSdText } from './core/sources';
import type { SdPod } from './core/kube-objects';
import { istioPrometheusYml } from './testing/istio-config';
import { kubeEnv, until } from './testing/kube-env';

const binary = spawnSync('prometheus', ['--version']).status === 0 ? 'prometheus' : undefined;
if (binary === undefined) process.stderr.write('prometheus-sd: real Prometheus cases skipped: no prometheus binary (apt-get install -y prometheus)\n');
const real = binary === undefined ? it.skip : it;

/** A loopback address of our own (127.78.x.y) with `port` free on it, held by `server`. */
async function listenOnFreeLoopback(server: Server, port: number): Promise<string> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const ip = `127.78.${1 + Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => resolve(false));
      server.listen(port, ip, () => resolve(true));
    });
    if (ok) return ip;
  }
  throw new Error(`no free loopback address for port ${port}`);
}

function pod(ip: string): SdPod {
  return {
    metadata: {
      name: 'reviews-v1-545db77b95-abcde',
      namespace: 'default',
      uid: 'u1',
      labels: { app: 'reviews', version: 'v1', 'service.istio.io/canonical-name': 'reviews' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '15020', 'prometheus.io/path': '/stats/prometheus' },
    },
    spec: {
      nodeName: 'node-1',
      containers: [
        { name: 'reviews', ports: [{ containerPort: 9080, protocol: 'TCP' }] },
        { name: 'istio-proxy', ports: [{ name: 'http-envoy-prom', containerPort: 15090, protocol: 'TCP' }] },
      ],
    },
    status: { phase: 'Running', podIP: ip, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

interface ActiveTarget {
  labels: Record<string, string>;
  scrapePool: string;
  scrapeUrl: string;
  health: string;
}

async function activeTargets(base: string): Promise<ActiveTarget[]> {
  const res = await fetch(`${base}/api/v1/targets?state=active`);
  const body = (await res.json()) as { data: { activeTargets: ActiveTarget[] } };
  return body.data.activeTargets;
}

describe('Istio prometheus.yml rendered by the adapter, in the real prometheus 2.42', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prometheus-sd-'));
  const proxy = createServer((req, res) => {
    res.writeHead(req.url === '/stats/prometheus' ? 200 : 404, { 'content-type': 'text/plain; version=0.0.4' });
    res.end('# TYPE istio_requests_total counter\nistio_requests_total{reporter="destination",destination_version="v1"} 7\n');
  });
  let prometheus: ChildProcess | undefined;
  let configFile = '';

  beforeAll(() => {
    const rendered = renderConfig(istioPrometheusYml(), { targetDir: join(dir, 'targets'), source: 'samples/addons/prometheus.yaml' });
    // The pod's service account and the ConfigMap's rule files, where the test can put them.
    mkdirSync(join(dir, 'targets'));
    mkdirSync(join(dir, 'config'));
    mkdirSync(join(dir, 'sa'));
    for (const f of ['recording_rules.yml', 'alerting_rules.yml', 'rules', 'alerts']) writeFileSync(join(dir, 'config', f), '{}\n');
    writeFileSync(join(dir, 'sa', 'token'), 'token\n');
    writeFileSync(join(dir, 'sa', 'ca.crt'), readFileSync(kubeEnv().caFile));
    for (const f of rendered.files) writeFileSync(f.path, '[]\n');
    configFile = join(dir, 'prometheus.yml');
    writeFileSync(configFile, rendered.text.replaceAll('/etc/config/', `${dir}/config/`).replaceAll('/var/run/secrets/kubernetes.io/serviceaccount/', `${dir}/sa/`));
  });

  afterAll(async () => {
    if (prometheus !== undefined && prometheus.exitCode === null) {
      const exited = new Promise((r) => prometheus?.once('exit', r));
      prometheus.kill('SIGTERM');
      await exited;
    }
    await new Promise((r) => proxy.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  real('promtool check config accepts it', () => {
    const check = spawnSync('promtool', ['check', 'config', configFile], { encoding: 'utf8' });
    expect(`${check.stdout}${check.stderr}`).toContain('SUCCESS');
    expect(check.status).toBe(0);
  });

  real('the pod target becomes one scrape of :15020/stats/prometheus labelled namespace, pod, app, version', async () => {
    const ip = await listenOnFreeLoopback(proxy, 15020);
    writeFileSync(join(dir, 'targets', 'pod_0.json'), fileSdText(podGroups(pod(ip))));
    const base = `http://${ip}:9090`;
    prometheus = spawn('prometheus', [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=${ip}:9090`], { stdio: 'ignore' });
    const targets = await until('the kubernetes-pods target', async () => {
      const t = (await activeTargets(base)).filter((x) => x.scrapePool === 'kubernetes-pods');
      return t.length > 0 ? t : undefined;
    }, 20_000);
    // Two container ports, one relabelled address: Prometheus keeps one target, as with its own discovery.
    expect(targets).toHaveLength(1);
    expect(targets[0]?.scrapeUrl).toBe(`http://${ip}:15020/stats/prometheus`);
    expect(targets[0]?.labels).toEqual({
      app: 'reviews',
      instance: `${ip}:15020`,
      job: 'kubernetes-pods',
      namespace: 'default',
      node: 'node-1',
      pod: 'reviews-v1-545db77b95-abcde',
      service_istio_io_canonical_name: 'reviews',
      version: 'v1',
    });
    expect((await activeTargets(base)).filter((x) => x.scrapePool === 'kubernetes-pods-slow')).toEqual([]);
    // Istio's scrape interval is 15 s: the first scrape lands within one.
    const series = await until('istio_requests_total scraped', async () => {
      const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent('istio_requests_total')}`);
      const r = (await res.json()) as { data: { result: { metric: Record<string, string>; value: [number, string] }[] } };
      return r.data.result.length > 0 ? r.data.result : undefined;
    }, 25_000);
    expect(series[0]?.metric).toMatchObject({ namespace: 'default', pod: 'reviews-v1-545db77b95-abcde', app: 'reviews', reporter: 'destination' });
    expect(series[0]?.value[1]).toBe('7');
  });
});
