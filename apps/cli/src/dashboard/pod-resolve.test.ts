// Cluster mode's pod lookup for `trellis dashboard envoy|controlz` against a stand-in API server on a real socket.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeApi } from '../client/kube-api';
import { podRef } from './pod-ref';
import { kubePod } from './pod-resolve';

describe('trellis dashboard envoy|controlz: the pod in a cluster', () => {
  let dir: string;
  let http: Server;
  let api: KubeApi;
  const seen: string[] = [];
  beforeAll(async () => {
    http = createServer((req, res) => {
      seen.push(req.url ?? '');
      const url = new URL(req.url ?? '/', 'http://x');
      const json = (status: number, body: unknown): void => void res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (url.pathname === '/apis/apps/v1/namespaces/default/deployments/productpage-v1') return json(200, { spec: { selector: { matchLabels: { app: 'productpage', version: 'v1' } } } });
      if (url.pathname.endsWith('/pods') && url.searchParams.get('labelSelector') !== 'app=none') {
        return json(200, { items: [{ metadata: { name: `pod-for-${url.searchParams.get('labelSelector')}`, namespace: url.pathname.split('/')[4] } }] });
      }
      if (url.pathname.endsWith('/pods')) return json(200, { items: [] });
      return json(404, { kind: 'Status', message: 'not found', code: 404 });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    dir = mkdtempSync(path.join(tmpdir(), 'trellis-podres-'));
    const server = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const kubeconfig = { apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }], 'current-context': 'x' };
    writeFileSync(path.join(dir, 'kubeconfig'), JSON.stringify(kubeconfig));
    api = KubeApi.connect({ kubeconfig: path.join(dir, 'kubeconfig') });
  });
  afterAll(async () => {
    await new Promise((resolve) => http.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('a named pod as is; a deployment’s and a selector’s first pod', async () => {
    expect(await kubePod(api, podRef('productpage-123-456.default', undefined, 'x'))).toEqual({ name: 'productpage-123-456', namespace: 'default' });
    expect(await kubePod(api, podRef('deployment/productpage-v1', undefined, 'default'))).toEqual({ name: 'pod-for-app=productpage,version=v1', namespace: 'default' });
    expect(await kubePod(api, podRef(undefined, 'app=istiod', 'istio-system'))).toEqual({ name: 'pod-for-app=istiod', namespace: 'istio-system' });
    await expect(kubePod(api, podRef(undefined, 'app=none', 'istio-system'))).rejects.toThrow('no pods found with selector app=none');
    expect(seen).toContain('/api/v1/namespaces/istio-system/pods?labelSelector=app%3Distiod');
  });
});
