import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { parse } from 'yaml';
import { runInjectorWebhook, type InjectorWebhook } from './injector';
import {
  apiErrorText, appPod, createNamespace, kubeConfigFor, kubeTestEnv, summarize, uniqueName, waitFor,
  type KubeTestEnv,
} from './testing/kube-env';

// holdApplicationUntilProxyStarts (default) puts the proxy first.
const INJECTED = { containers: ['istio-proxy', 'app'], initContainers: ['trellis-init'] };
const localUrl = (port: number): string => `https://127.0.0.1:${port}/inject`;

describe('runInjectorWebhook against a real kube-apiserver', () => {
  let env: KubeTestEnv;
  let kc: k8s.KubeConfig;
  let core: k8s.CoreV1Api;
  let admission: k8s.AdmissionregistrationV1Api;
  let injector: InjectorWebhook;
  let labelled: string;
  let plain: string;
  const start = (name?: string): Promise<InjectorWebhook> =>
    runInjectorWebhook({ kube: kc, host: '127.0.0.1', port: 0, url: localUrl, failurePolicy: 'Fail', ...(name ? { configurationName: name } : {}) });

  beforeAll(async () => {
    env = kubeTestEnv();
    kc = kubeConfigFor(env);
    core = kc.makeApiClient(k8s.CoreV1Api);
    admission = kc.makeApiClient(k8s.AdmissionregistrationV1Api);
    injector = await start();
    [labelled, plain] = await Promise.all([
      createNamespace(core, uniqueName('inj-on'), { 'istio-injection': 'enabled' }),
      createNamespace(core, uniqueName('inj-off')),
    ]);
  });

  afterAll(async () => {
    await injector?.close();
    // Left in place by close() on purpose; removed here so other suites on this apiserver are unaffected.
    await admission?.deleteMutatingWebhookConfiguration({ name: 'trellis-sidecar-injector' }).catch(() => undefined);
    await Promise.all([labelled, plain].filter(Boolean).map((name) => core.deleteNamespace({ name }).catch(() => undefined)));
  });

  it('writes the MutatingWebhookConfiguration with the URL and the caBundle', async () => {
    expect(injector.configurationSync).toBe('created');
    const config = await admission.readMutatingWebhookConfiguration({ name: 'trellis-sidecar-injector' });
    expect(config.webhooks?.map((w) => w.clientConfig.url)).toEqual([injector.endpoint, injector.endpoint, injector.endpoint]);
    expect(Buffer.from(config.webhooks?.[0]?.clientConfig.caBundle ?? '', 'base64').toString()).toBe(injector.caPem);
    expect(config.webhooks?.[0]?.failurePolicy).toBe('Fail');
  });

  it('injects the pod the controller-manager creates for a Deployment', async () => {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const labels = { app: 'reviews', version: 'v1' };
    const template = appPod({ labels });
    await apps.createNamespacedDeployment({
      namespace: labelled,
      body: { metadata: { name: 'reviews-v1' }, spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: template.metadata, spec: template.spec } } },
    });
    const pod = await waitFor('the Deployment pod', async () => {
      const list = await core.listNamespacedPod({ namespace: labelled, labelSelector: 'app=reviews' });
      return list.items[0];
    });
    expect(summarize(pod)).toMatchObject(INJECTED);
    const status = JSON.parse(summarize(pod).status ?? '{}') as { containers?: string[] };
    expect(status.containers).toEqual(['istio-proxy']);
    const proxyEnv = pod.spec?.containers.find((c) => c.name === 'istio-proxy')?.env ?? [];
    expect(proxyEnv).toEqual(expect.arrayContaining([{ name: 'ISTIO_META_WORKLOAD_NAME', value: 'reviews-v1' }]));
    expect(pod.spec?.containers.find((c) => c.name === 'istio-proxy')?.image).toBe('trellis/proxy:dev');
  });

  it('injects a pod created with generateName', async () => {
    const pod = await core.createNamespacedPod({ namespace: labelled, body: appPod({ generateName: 'ratings-' }) });
    expect(pod.metadata?.name).toMatch(/^ratings-/);
    expect(summarize(pod)).toMatchObject(INJECTED);
  });

  it('leaves a pod labelled sidecar.istio.io/inject=false alone', async () => {
    const pod = await core.createNamespacedPod({ namespace: labelled, body: appPod({ name: 'opted-out', labels: { 'sidecar.istio.io/inject': 'false' } }) });
    expect(summarize(pod)).toEqual({ containers: ['app'], initContainers: [], status: undefined });
  });

  it('leaves pods in an unlabelled namespace alone, unless the pod opts in', async () => {
    const pod = await core.createNamespacedPod({ namespace: plain, body: appPod({ name: 'plain' }) });
    expect(summarize(pod)).toEqual({ containers: ['app'], initContainers: [], status: undefined });
    const optIn = await core.createNamespacedPod({ namespace: plain, body: appPod({ name: 'opted-in', labels: { 'sidecar.istio.io/inject': 'true' } }) });
    expect(summarize(optIn)).toMatchObject(INJECTED);
  });

  it('kubectl create --dry-run=server shows the injected pod and stores nothing', async () => {
    if (!env.kubectl) throw new Error('kube-env has no kubectl binary (tools/kube-env/build.sh builds it by default)');
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'trellis-inject-')), 'pod.yaml');
    writeFileSync(file, JSON.stringify(appPod({ name: 'dry-run' })));
    const { stdout } = await promisify(execFile)(env.kubectl, ['--kubeconfig', env.kubeconfig, '-n', labelled, 'create', '-f', file, '--dry-run=server', '-o', 'yaml']);
    expect(summarize(parse(stdout) as k8s.V1Pod)).toMatchObject(INJECTED);
    const stored = await core.readNamespacedPod({ name: 'dry-run', namespace: labelled }).then(() => 'stored', (err: unknown) => apiErrorText(err));
    expect(stored).toMatch(/not ?found/i);
  });

  it('re-asserting the configuration is idempotent; a restart replaces the caBundle', async () => {
    const before = await admission.readMutatingWebhookConfiguration({ name: 'trellis-sidecar-injector' });
    expect(await injector.resync()).toBe('unchanged');
    expect(await injector.resync()).toBe('unchanged');
    const after = await admission.readMutatingWebhookConfiguration({ name: 'trellis-sidecar-injector' });
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);

    const restarted = await start();
    await injector.close();
    injector = restarted;
    expect(restarted.configurationSync).toBe('updated');
    // The API server picks up the changed webhook configuration through its own watch, a moment
    // later: until then it still calls the old (closed) port and the create is refused.
    const pod = await waitFor('the API server to call the restarted webhook', () =>
      core.createNamespacedPod({ namespace: labelled, body: appPod({ name: 'after-restart' }) }),
    );
    expect(summarize(pod)).toMatchObject(INJECTED);
  });

  it('with the webhook down and failurePolicy Fail, pod creation fails naming the webhook', async () => {
    const doomed = await start('trellis-sidecar-injector-down');
    await doomed.close();
    try {
      // The API server learns of the new webhook configuration through its own watch, a moment later:
      // until then a create still succeeds (that pod is deleted) and the probe tries again.
      let attempt = 0;
      const err = await waitFor('the API server to call the stopped webhook', async () => {
        const name = `rejected-${attempt++}`;
        const failure = await core.createNamespacedPod({ namespace: labelled, body: appPod({ name }) }).then(() => undefined, (e: unknown) => e);
        if (failure === undefined) await core.deleteNamespacedPod({ name, namespace: labelled });
        return failure;
      });
      const text = apiErrorText(err);
      expect(text).toContain('failed calling webhook "namespace.sidecar-injector.istio.io"');
      expect(text).toContain(doomed.endpoint.replace('/inject', ''));
      expect(text).toMatch(/connection refused/);
    } finally {
      await admission.deleteMutatingWebhookConfiguration({ name: 'trellis-sidecar-injector-down' });
    }
  });
});
