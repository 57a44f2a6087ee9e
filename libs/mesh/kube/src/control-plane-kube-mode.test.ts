// The control plane as a process in Kubernetes mode (--registry kube) against the real apiserver:
// Services/Pods/VirtualServices from the API become xDS that a real ADS client receives.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createAdsClient, type AdsClient, type XdsResource } from '@trellis/mesh-xds';
import { silentLogger } from '@trellis/shared';
import type { KubeObject } from './client/types';
import { adminClient, createNamespace, ensureCrds, eventually, kubectl, kubeTestEnv, stopProcess } from './testing/kube-test-env';

const ROOT = path.resolve(__dirname, '../../../..');
const NS = 'cp-kube-mode';
const client = adminClient();
const api = `/api/v1/namespaces/${NS}`;
let cp: ChildProcess;
let ads: AdsClient;
const seen: Record<string, XdsResource[]> = {};

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

async function readyPod(name: string, version: string, ip: string): Promise<void> {
  const body = { metadata: { name, labels: { app: 'reviews', version } }, spec: { containers: [{ name: 'reviews', image: 'reviews:dev', ports: [{ containerPort: 9080 }] }] } };
  await client.request('POST', `${api}/pods`, { body });
  const current = await client.request<KubeObject>('GET', `${api}/pods/${name}`);
  const status = { phase: 'Running', podIP: ip, podIPs: [{ ip }], conditions: [{ type: 'Ready', status: 'True' }] };
  await client.request('PUT', `${api}/pods/${name}/status`, { body: { ...current, status } });
}

const cla = (name: string): XdsResource | undefined => (seen['EDS'] ?? []).find((c) => c['cluster_name'] === name);
const addresses = (c: XdsResource | undefined): string[] =>
  JSON.stringify(c ?? {}).match(/"address":"(10\.[0-9.]+)"/g)?.map((m) => m.slice(11, -1)).sort() ?? [];

beforeAll(async () => {
  await Promise.all([createNamespace(client, NS), ensureCrds(client)]);
  await client.request('POST', `${api}/services`, { body: { metadata: { name: 'reviews' }, spec: { selector: { app: 'reviews' }, ports: [{ name: 'http', port: 9080 }] } } });
  await readyPod('reviews-v1', 'v1', '10.244.9.11');
  await readyPod('reviews-v2', 'v2', '10.244.9.12');
  const [xdsPort, httpPort] = [await freePort(), await freePort()];
  cp = spawn(process.execPath, [path.join(ROOT, 'dist/apps/control-plane/main.js'), '--registry', 'kube', '--kubeconfig', kubeTestEnv().kubeconfig, '--host', '127.0.0.1', '--xds-port', String(xdsPort), '--http-port', String(httpPort), '--webhook-port', '0'], { stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn' } });
  await eventually('control plane ready', async () => ((await fetch(`http://127.0.0.1:${httpPort}/ready`)).status === 200 ? true : undefined), 30_000);
  ads = createAdsClient({
    target: `127.0.0.1:${xdsPort}`,
    node: { id: `sidecar~10.244.9.20~client-1.${NS}~${NS}.svc.cluster.local`, metadata: { NAMESPACE: NS, LABELS: { app: 'client' }, INTERCEPTION_MODE: 'REDIRECT' } },
    logger: silentLogger(),
    onResources: (type, resources) => {
      seen[type] = resources;
    },
  });
});

afterAll(async () => {
  ads?.close();
  await stopProcess(cp);
  await client.request('DELETE', `/api/v1/namespaces/${NS}`).catch(() => undefined);
});

it('serves the Service and its ready Pods as clusters and endpoints', async () => {
  const name = `outbound|9080||reviews.${NS}.svc.cluster.local`;
  await eventually('reviews endpoints', () => (addresses(cla(name)).length === 2 ? true : undefined));
  expect(addresses(cla(name))).toEqual(['10.244.9.11', '10.244.9.12']);
});

it('follows DestinationRules and VirtualServices applied with kubectl', async () => {
  const yaml = `apiVersion: networking.istio.io/v1beta1
kind: DestinationRule
metadata: { name: reviews, namespace: ${NS} }
spec: { host: reviews, subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }] }
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: { name: reviews, namespace: ${NS} }
spec:
  hosts: [reviews]
  http: [{ route: [{ destination: { host: reviews, subset: v2 } }] }]
`;
  const res = await kubectl(['apply', '-f', '-'], yaml);
  expect(res.stderr).toBe('');
  const subset = `outbound|9080|v2|reviews.${NS}.svc.cluster.local`;
  await eventually('v2 subset endpoints', () => (addresses(cla(subset)).length === 1 ? true : undefined));
  expect(addresses(cla(subset))).toEqual(['10.244.9.12']);
  await eventually('route to v2', () => (JSON.stringify(seen['RDS'] ?? []).includes(subset) ? true : undefined));
});

it('drops a deleted Pod from the endpoints', async () => {
  await client.request('DELETE', `${api}/pods/reviews-v1`, { query: { gracePeriodSeconds: '0' } });
  const name = `outbound|9080||reviews.${NS}.svc.cluster.local`;
  await eventually('one endpoint left', () => (addresses(cla(name)).length === 1 ? true : undefined));
  expect(addresses(cla(name))).toEqual(['10.244.9.12']);
});
