// `trellis install` / `uninstall` against a real kube-apiserver 1.20 (tools/kube-env, see jest.kube.config.js).
// Pods stay Pending there (no scheduler or kubelet), so readiness is exercised only through its timeout.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../testing/fake-control-plane';

interface KubeEnv {
  server: string;
  token: string;
  caFile: string;
  kubeconfig: string;
  kubectl: string | null;
}

const kubeEnv = (): KubeEnv => JSON.parse(process.env['TRELLIS_KUBE_ENV'] ?? '{}') as KubeEnv;
const repo = path.join(__dirname, '../../../..');

function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const { kubectl: bin, kubeconfig } = kubeEnv();
  if (bin === null) throw new Error('the kube env has no kubectl');
  return new Promise((resolve) => {
    execFile(bin, args, { cwd: repo, env: { ...process.env, KUBECONFIG: kubeconfig }, timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

async function names(...args: string[]): Promise<string[]> {
  const res = await kubectl(...args, '-o', 'name');
  expect(res.stderr).toBe('');
  return res.stdout.split('\n').filter(Boolean).sort();
}

async function eventually(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const CRDS = [
  'authorizationpolicies.security.istio.io', 'destinationrules.networking.istio.io', 'envoyfilters.networking.istio.io', 'gateways.networking.istio.io', 'peerauthentications.security.istio.io',
  'requestauthentications.security.istio.io', 'serviceentries.networking.istio.io', 'sidecars.networking.istio.io', 'telemetries.telemetry.istio.io',
  'virtualservices.networking.istio.io',
].map((n) => `customresourcedefinition.apiextensions.k8s.io/${n}`);
const CORE = ['deployment.apps/istio-ingressgateway', 'deployment.apps/istiod', 'service/istio-ingressgateway', 'service/istiod'];

/** A kubeconfig (JSON is YAML) whose current context is an address nothing listens on; context `real` is the test API server. */
function twoContexts(e: KubeEnv): object {
  const cluster = (server: string) => ({ server, 'certificate-authority': e.caFile });
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'real', cluster: cluster(e.server) }, { name: 'nowhere', cluster: cluster('https://127.0.0.1:1') }],
    users: [{ name: 'admin', user: { token: e.token } }],
    contexts: [{ name: 'real', context: { cluster: 'real', user: 'admin' } }, { name: 'nowhere', context: { cluster: 'nowhere', user: 'admin' } }],
    'current-context': 'nowhere',
  };
}

describe('trellis install / uninstall (real API server)', () => {
  const cli = (...argv: string[]) => runCli(argv, { env: { KUBECONFIG: kubeEnv().kubeconfig }, cwd: repo });

  it('installs CRDs, control plane and gateway with the progress lines of istioctl', async () => {
    const res = await cli('install', '-y', '--no-wait');
    expect(res).toMatchObject({ code: 0, stderr: '' });
    // Kubernetes 1.20: the Gateway API CRDs install without their CEL rules, the v1.30 admission policy is skipped
    expect(res.stdout).toMatch(
      new RegExp(
        '^✔ Trellis core installed\\n' +
          '✔ Gateway API CRDs installed \\(v1\\.6\\.1, standard channel\\)\\n' +
          '  this Kubernetes has no CEL: \\d+ x-kubernetes-validations rules were left out of the schemas\\n' +
          '  skipped ValidatingAdmissionPolicy/safe-upgrades.gateway.networking.k8s.io: this Kubernetes does not serve its API\\n' +
          '  skipped ValidatingAdmissionPolicyBinding/safe-upgrades.gateway.networking.k8s.io: this Kubernetes does not serve its API\\n' +
          '✔ Control plane installed\\n✔ Ingress gateways installed\\n✔ Installation complete\\n$',
      ),
    );
    expect(await names('get', 'crd', 'gateways.gateway.networking.k8s.io', 'httproutes.gateway.networking.k8s.io')).toHaveLength(2);
    expect((await cli('install', '-y', '--no-wait')).stdout).toContain('✔ Gateway API CRDs already installed (v1.6.1), left as they are\n');
    expect(await names('get', 'crd')).toEqual(expect.arrayContaining(CRDS));
    expect(await names('-n', 'istio-system', 'get', 'deploy,svc')).toEqual(CORE);
    expect(await names('get', 'clusterrole', '-l', 'app=istiod')).toEqual(['clusterrole.rbac.authorization.k8s.io/trellis-istiod', 'clusterrole.rbac.authorization.k8s.io/trellis-istiod-ca', 'clusterrole.rbac.authorization.k8s.io/trellis-istiod-config-writer', 'clusterrole.rbac.authorization.k8s.io/trellis-istiod-gateway-controller', 'clusterrole.rbac.authorization.k8s.io/trellis-istiod-gateway-credentials']);
    expect(await names('-n', 'istio-system', 'get', 'role,rolebinding', '-l', 'app=istiod')).toEqual([
      'role.rbac.authorization.k8s.io/trellis-istiod-ca',
      'role.rbac.authorization.k8s.io/trellis-istiod-leader-election',
      'rolebinding.rbac.authorization.k8s.io/trellis-istiod-ca',
      'rolebinding.rbac.authorization.k8s.io/trellis-istiod-leader-election',
    ]);
    const nodePort = await kubectl('-n', 'istio-system', 'get', 'svc', 'istio-ingressgateway', '-o', 'jsonpath={.spec.ports[?(@.name=="http2")].nodePort}');
    expect(nodePort.stdout).toBe('30080');
    // SECURE_INGRESS_PORT as Istio's secure-ingress task reads it.
    const secure = await kubectl('-n', 'istio-system', 'get', 'svc', 'istio-ingressgateway', '-o', 'jsonpath={.spec.ports[?(@.name=="https")].nodePort}');
    expect(secure.stdout).toBe('30443');
  });

  it('applies exactly what `kubectl kustomize deploy/` renders', async () => {
    const rendered = await kubectl('kustomize', 'deploy/');
    expect(rendered.code).toBe(0);
    const kinds = rendered.stdout.match(/^kind: \w+$/gm) ?? [];
    expect(kinds.filter((k) => k === 'kind: CustomResourceDefinition')).toHaveLength(CRDS.length);
    expect(kinds).toEqual(expect.arrayContaining(['kind: Namespace', 'kind: Deployment', 'kind: Service', 'kind: ServiceAccount', 'kind: ClusterRoleBinding']));
    const diff = await kubectl('apply', '--server-side', '--dry-run=server', '--field-manager=trellis-install', '-k', 'deploy/');
    expect(diff.stderr).toBe('');
    expect(diff.stdout.split('\n').filter(Boolean).every((line) => /serverside-applied \(server dry run\)$/.test(line))).toBe(true);
  });

  it('is idempotent, and times out naming what is not ready when it waits (pods stay Pending here)', async () => {
    expect((await cli('install', '-y', '--no-wait')).code).toBe(0);
    const res = await cli('install', '-y', '--timeout', '2s');
    expect(res.stdout).toBe('✔ Trellis core installed\n✔ Gateway API CRDs already installed (v1.6.1), left as they are\n');
    expect(res.stderr).toBe('Error: timed out waiting for resources to be ready: Deployment:istio-system:istiod\n');
    expect(res.code).toBe(1);
  });

  it('takes the cluster from the global --kubeconfig and --context, given before or after the command name', async () => {
    // Its current context points nowhere; only `--context real` reaches the API server. No KUBECONFIG, no ~/.kube.
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-install-'));
    const file = path.join(dir, 'kubeconfig');
    try {
      writeFileSync(file, JSON.stringify(twoContexts(kubeEnv())));
      const env = { HOME: path.join(dir, 'home') };
      const run = (...argv: string[]) => runCli(argv, { env, cwd: repo });

      const nowhere = await run('--kubeconfig', file, 'install', '-y', '--no-wait');
      expect(nowhere).toEqual({ code: 1, stdout: '', stderr: 'Error: kubernetes API request failed\n' });
      expect(await run('install', '--kubeconfig', file, '--context', 'real', '-y', '--no-wait')).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/✔ Installation complete\n$/) });
      expect(await run('--kubeconfig', file, '--context', 'real', 'uninstall', '-y')).toMatchObject({ code: 0, stderr: '', stdout: expect.stringMatching(/✔ Uninstall complete\n$/) });
      expect(await names('-n', 'istio-system', 'get', 'deploy,svc')).toEqual([]);
      const relative = await runCli(['--context', 'real', 'install', '--kubeconfig', 'kubeconfig', '-y', '--no-wait'], { env, cwd: dir });
      expect([relative.code, relative.stderr]).toEqual([0, '']);
      expect(await names('-n', 'istio-system', 'get', 'deploy,svc')).toEqual(CORE);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('verify-install checks what the installed profile put there, with istioctl\'s ✔/✘ lines and exit code', async () => {
    const failed = await cli('verify-install');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('✔ CustomResourceDefinition: virtualservices.networking.istio.io.istio-system checked successfully\n');
    expect(failed.stdout).toContain('✔ Service: istio-ingressgateway.istio-system checked successfully\n');
    expect(failed.stdout).toContain('✘ Deployment: istiod.istio-system: not ready: 0/1 replicas available\n');
    expect(failed.stdout).toContain('✘ MutatingWebhookConfiguration: trellis-sidecar-injector.istio-system: not found\n');
    expect(failed.stdout).toMatch(/\nChecked \d+ custom resource definitions\nChecked 2 Istio Deployments\n$/);
    expect(failed.stderr).toMatch(/^Error: Trellis installation failed, incomplete or does not match the installed state: 3 of \d+ checks failed\n$/);
    // against other options than installed: the demo profile's egress gateway is missing
    expect((await cli('verify-install', '--set', 'profile=demo')).stdout).toContain('✘ Deployment: istio-egressgateway.istio-system: not found\n');

    // install demo (the installed state follows), then make every Deployment available: 0 replicas (no kubelet here)
    expect(await cli('install', '-y', '--no-wait', '--set', 'profile=demo')).toMatchObject({ code: 0, stdout: expect.stringContaining('✔ Control plane installed\n✔ Egress gateways installed\n✔ Ingress gateways installed\n✔ Installation complete\n') });
    expect((await kubectl('-n', 'istio-system', 'scale', 'deploy', '--all', '--replicas=0')).code).toBe(0);
    const webhook = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'trellis-sidecar-injector' }, webhooks: [] };
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-verify-'));
    try {
      writeFileSync(path.join(dir, 'webhook.json'), JSON.stringify(webhook));
      expect((await kubectl('apply', '-f', path.join(dir, 'webhook.json'))).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await eventually('verify-install to pass', async () => (await cli('verify-install')).code === 0);
    const ok = await cli('verify-install');
    expect(ok.stdout).toContain('✔ Deployment: istio-egressgateway.istio-system checked successfully\n');
    expect(ok.stdout).toMatch(/\nChecked 3 Istio Deployments\n✔ Trellis is installed and verified successfully\n$/);
    expect(ok.stderr).toBe('');
  });

  it('uninstalls the control plane and gateway, keeping CRDs and the namespace unless --purge', async () => {
    const res = await cli('uninstall', '-y');
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('  Removed Deployment:istio-system:istiod.\n');
    expect(res.stdout).toContain('  Removed Service:istio-system:istio-ingressgateway.\n');
    expect(res.stdout).toContain('  Removed Deployment:istio-system:istio-egressgateway.\n');
    expect(res.stdout).toContain('  Removed ConfigMap:istio-system:trellis-installed-state.\n');
    expect(res.stdout.endsWith('✔ Uninstall complete\n')).toBe(true);
    expect(await names('-n', 'istio-system', 'get', 'deploy,svc')).toEqual([]);
    expect(await names('get', 'crd')).toEqual(expect.arrayContaining(CRDS));

    const purge = await cli('uninstall', '-y', '--purge');
    expect(purge.stdout).toContain('  Removed CustomResourceDefinition::virtualservices.networking.istio.io.\n');
    expect(purge.stdout).toContain('  Removed Namespace::istio-system.\n');
    await eventually('the Istio CRDs to go', async () => (await names('get', 'crd')).filter((n) => n.endsWith('istio.io')).length === 0);
  });
});
