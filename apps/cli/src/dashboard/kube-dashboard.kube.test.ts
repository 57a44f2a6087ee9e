// `trellis dashboard` in cluster mode against a real kube-apiserver 1.20 (tools/kube-env, jest.kube.config.js):
// istioctl's pod inference (Istio namespace first, then -n), its errors, and the local listener. Pods stay Pending
// there (no kubelet), so a forwarded connection is exercised up to the API server's refusal: one line, socket closed.
// The forward to a running pod is e2e/cluster/kiali.sh's (and telemetry.sh's) part.
import { execFileSync, spawn } from 'node:child_process';
import { connect, createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import { isTrellisError } from '@trellis/shared';
import { KubeApi } from '../client/kube-api';
import { runCli } from '../testing/fake-control-plane';
import { DASHBOARD_POD_NOT_FOUND, PORT_FORWARD_FAILED, forwardToPod, inferPod } from './kube-dashboard';

const kubeconfig = (): string => (JSON.parse(process.env['TRELLIS_KUBE_ENV'] ?? '{}') as { kubeconfig: string }).kubeconfig;
const suffix = Date.now().toString(36);
const [ISTIO_NS, APP_NS] = [`dash-istio-${suffix}`, `dash-app-${suffix}`];

async function createPod(api: KubeApi, namespace: string, name: string, labels: Record<string, string>): Promise<void> {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels }, spec: { automountServiceAccountToken: false, containers: [{ name: 'ui', image: 'trellis/kiali:dev' }] } };
  const deadline = Date.now() + 30_000;
  // The namespace's default ServiceAccount (which pod admission requires) is created by the controller-manager.
  for (;;) {
    try {
      await api.request('POST', `/api/v1/namespaces/${namespace}/pods`, { body: pod });
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe('trellis dashboard (cluster mode)', () => {
  let api: KubeApi;
  beforeAll(async () => {
    api = KubeApi.connect({ kubeconfig: kubeconfig() });
    for (const ns of [ISTIO_NS, APP_NS]) await api.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
  });
  afterAll(async () => {
    for (const ns of [ISTIO_NS, APP_NS]) await api.request('DELETE', `/api/v1/namespaces/${ns}`).catch(() => undefined);
  });

  const dash = (...argv: string[]) => runCli(['-i', ISTIO_NS, '-n', APP_NS, 'dashboard', ...argv, '--browser=false'], { env: { KUBECONFIG: kubeconfig(), TRELLIS_TARGET: 'kube' } });

  it('no pod: istioctl’s error naming the selector; Grafana and Jaeger also say what Trellis offers instead', async () => {
    expect(await dash('kiali')).toEqual({ code: 1, stdout: '', stderr: 'Error: no pods found with selector app=kiali\n' });
    expect((await dash('grafana')).stderr).toBe(
      'Error: no pods found with selector app.kubernetes.io/name=grafana. Trellis ships no Grafana: Kiali charts the same Istio metrics (trellis dashboard kiali) and Prometheus answers PromQL (trellis dashboard prometheus)\n',
    );
    expect((await dash('jaeger')).stderr).toMatch(/^Error: no pods found with selector app=jaeger\. Trellis ships no Jaeger: /);
  });

  it('finds the pod in the Istio namespace first, then in -n', async () => {
    await createPod(api, APP_NS, 'kiali-app-ns', { app: 'kiali' });
    expect(await inferPod(api, 'app=kiali', [ISTIO_NS, APP_NS])).toEqual({ name: 'kiali-app-ns', namespace: APP_NS });
    await createPod(api, ISTIO_NS, 'kiali-istio-ns', { app: 'kiali' });
    expect(await inferPod(api, 'app=kiali', [ISTIO_NS, APP_NS])).toEqual({ name: 'kiali-istio-ns', namespace: ISTIO_NS });
    await expect(inferPod(api, 'app=zipkin', [ISTIO_NS, APP_NS])).rejects.toMatchObject({ code: DASHBOARD_POD_NOT_FOUND });
  });

  it('listens on --address, and a connection the API server cannot forward is one line and a closed socket', async () => {
    const lines: string[] = [];
    const fw = await forwardToPod(api, { name: 'kiali-istio-ns', namespace: ISTIO_NS }, 20001, '127.0.0.1', [0], (l) => lines.push(l));
    try {
      const port = Number(fw.address.split(':')[1]);
      expect(fw.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const closed = await new Promise<boolean>((resolve) => {
        const socket = connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(true));
        setTimeout(() => resolve(false), 15_000).unref();
      });
      expect(closed).toBe(true);
      expect(lines).toHaveLength(1);
      // The API server refuses the upgrade for a pod that is not running (ws: "Unexpected server response: 400").
      expect(lines[0]).toMatch(new RegExp(`^port-forward to kiali-istio-ns\\.${ISTIO_NS}:20001 failed: Unexpected server response: \\d+$`));
    } finally {
      fw.close();
    }
  });

  it('an explicit --port that is taken: istioctl’s "failure running port forward process"', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as AddressInfo).port;
    try {
      const err: unknown = await forwardToPod(api, { name: 'kiali-istio-ns', namespace: ISTIO_NS }, 20001, 'localhost', [port], () => undefined).catch((e: unknown) => e);
      expect(isTrellisError(err) && err.code).toBe(PORT_FORWARD_FAILED);
      expect((err as Error).message).toMatch(/^failure running port forward process: .*EADDRINUSE/);
    } finally {
      busy.close();
    }
  });

  it('the CLI process prints the URL, holds the forward, and ends on one SIGINT (Ctrl-C) with exit code 0', async () => {
    const repo = path.join(__dirname, '../../../..');
    execFileSync(process.execPath, [path.join(repo, 'tools/build/build.mjs'), '--quiet', 'cli'], { cwd: repo, timeout: 120_000 });
    const child = spawn(process.execPath, [path.join(repo, 'dist/apps/cli/main.js'), '-i', ISTIO_NS, 'dashboard', 'kiali', '--browser=false', '--port', '0'], {
      env: { PATH: process.env['PATH'] ?? '', KUBECONFIG: kubeconfig(), TRELLIS_TARGET: 'kube' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let [out, err] = ['', ''];
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      for (const deadline = Date.now() + 20_000; !out.includes('skipping opening a browser'); await new Promise((r) => setTimeout(r, 50))) {
        if (Date.now() > deadline) throw new Error(`no URL within 20 s: ${out}${err}`);
      }
      expect(out).toMatch(/^http:\/\/localhost:\d+\/kiali\nskipping opening a browser\n$/);
      // A connection while it runs (refused by the API server: the pod is Pending) leaves it running.
      const port = Number(/localhost:(\d+)/.exec(out)?.[1]);
      await new Promise<void>((resolve) => connect(port, '127.0.0.1').on('close', () => resolve()).on('error', () => undefined));
      expect(child.exitCode).toBeNull();
      const t0 = Date.now();
      child.kill('SIGINT');
      const code = await Promise.race([exited, new Promise<string>((r) => setTimeout(() => r('still running 5 s after SIGINT'), 5000).unref())]);
      expect(code).toBe(0);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(err).toMatch(/^port-forward to kiali-istio-ns\.dash-istio-\w+:20001 failed: Unexpected server response: \d+\n$/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
