import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { silentLogger } from '@trellis/shared';
import { TYPE_URLS } from '../proto/type-urls';
import { basicResources, SIDECAR_NODE } from '../testing/fixtures';
import { RawAdsStream } from '../testing/raw-ads-stream';
import { createAdsServer } from './ads-server';
import { xdsDebugApi } from './debug-api';

describe('xdsDebugApi', () => {
  it('serves /debug/syncz and /debug/config_dump from a live ADS server', async () => {
    const resources = basicResources();
    const server = createAdsServer({ generate: () => resources, logger: silentLogger() });
    const port = await server.bind('127.0.0.1:0');
    const stream = new RawAdsStream(port);
    const app = Fastify();
    try {
      await app.register(xdsDebugApi({ server }));
      await app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      const get = async (path: string): Promise<{ statusCode: number; body: unknown }> => {
        const res = await fetch(`${base}${path}`);
        return { statusCode: res.status, body: (await res.json()) as unknown };
      };
      stream.send({ node: SIDECAR_NODE, type_url: TYPE_URLS.CDS });
      const cds = await stream.next();

      const syncz = await get('/debug/syncz');
      expect(syncz.statusCode).toBe(200);
      expect(syncz.body).toEqual([
        expect.objectContaining({
          id: SIDECAR_NODE.id,
          proxy: expect.objectContaining({ namespace: 'default', interception: 'NONE' }),
          types: expect.objectContaining({ CDS: { sentVersion: cds.version_info, sentNonce: cds.nonce, status: 'STALE' }, LDS: { status: 'NOT SENT' } }),
        }),
      ]);

      const dump = await get(`/debug/config_dump?proxyID=${encodeURIComponent(SIDECAR_NODE.id)}`);
      expect(dump.statusCode).toBe(200);
      expect(dump.body).toEqual({ clusters: resources.clusters, endpoints: [], listeners: [], routes: [] });

      const missing = await get('/debug/config_dump?proxyID=nope');
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toMatchObject({ code: 'XDS_PROXY_NOT_CONNECTED' });
      expect((await get('/debug/config_dump')).statusCode).toBe(400);
    } finally {
      stream.close();
      await app.close();
      await server.close();
    }
  });
});
