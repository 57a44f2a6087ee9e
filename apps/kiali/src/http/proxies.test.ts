import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFixture, type Fixture } from '../testing/fixture';

let upstream: http.Server;
let seen: string[] = [];
let fx: Fixture;
beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ status: 'success', path: req.url }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  fx = await startFixture({ prometheusUrl: url, tracingUrl: url });
});
afterAll(async () => {
  await fx.close();
  await new Promise((resolve) => upstream.close(resolve));
});
beforeEach(() => {
  seen = [];
});

describe('Prometheus and the trace store under the same origin', () => {
  it('forwards /prometheus/** to Prometheus without the prefix, and the trace store keeps its paths', async () => {
    await fx.kiali.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(fx.kiali.server.address() as AddressInfo).port}`;
    const prom = await fetch(`${base}/prometheus/api/v1/query?query=up`);
    expect(await prom.json()).toEqual({ status: 'success', path: '/api/v1/query?query=up' });
    await (await fetch(`${base}/zipkin/`)).text();
    await (await fetch(`${base}/api/v2/services`)).text();
    expect(seen).toEqual(['/api/v1/query?query=up', '/zipkin/', '/api/v2/services']);
  });

  it('lists both in the status when configured (no in-process warning)', async () => {
    const status = (await fx.kiali.inject('/kiali/api/status')).json<{ externalServices: { name: string }[]; warningMessages: string[] }>();
    expect(status.externalServices.map((s) => s.name)).toEqual(['Istio', 'Prometheus', 'Zipkin']);
    expect(status.warningMessages).toEqual([]);
  });
});
