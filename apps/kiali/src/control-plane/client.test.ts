import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@trellis/shared';
import { buildApp } from '../app';
import { NO_METRICS } from '../testing/fixture';
import { controlPlaneClient, upstreamError } from './client';

describe('control plane client', () => {
  it('an unreachable control plane is 503 {error, detail} on the API, istiod Unreachable on istio/status', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise((resolve) => closed.close(resolve));
    const app = await buildApp({ logger: silentLogger(), client: controlPlaneClient(url, 500), metrics: NO_METRICS });
    try {
      const res = await app.inject('/kiali/api/namespaces');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: `the control plane at ${url} did not answer`, detail: expect.stringContaining('CONTROL_PLANE_UNAVAILABLE') });
      expect((await app.inject('/kiali/api/istio/status')).json()).toEqual([{ name: 'istiod', status: 'Unreachable', is_core: true }]);
    } finally {
      await app.close();
    }
  });

  it('a slow control plane is cut at the timeout', async () => {
    const slow = http.createServer(() => undefined);
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    const client = controlPlaneClient(`http://127.0.0.1:${(slow.address() as AddressInfo).port}`, 200);
    const started = Date.now();
    try {
      await expect(client.services()).rejects.toMatchObject({ code: 'CONTROL_PLANE_UNAVAILABLE' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      slow.closeAllConnections();
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it("keeps the control plane's error code and names the first invalid field", () => {
    const err = upstreamError(422, { error: { code: 'VALIDATION_FAILED', message: 'invalid config', details: [{ kind: 'VirtualService', name: 'r', path: 'spec.http[0].route[0].weight', message: 'must be <= 100' }] } });
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('invalid config: spec.http[0].route[0].weight must be <= 100');
    expect(err.context).toMatchObject({ status: 422, field: 'spec.http[0].route[0].weight' });
    expect(upstreamError(502, undefined).code).toBe('CONTROL_PLANE_UNAVAILABLE');
  });
});
