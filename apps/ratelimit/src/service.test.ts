import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, credentials, makeGenericClientConstructor } from '@grpc/grpc-js';
import { createLogger } from '@trellis/shared';
import { ISTIO_TASK_CONFIG } from './testing/istio-task-config';
import { rateLimitService } from './grpc-server';
import { type RateLimitService, startRateLimitService } from './service';
import { readSettings } from './settings';
import { type TestRedis, startTestRedis } from './testing/redis-server';

/** The service end to end: grpc-js client → RateLimitService → a real redis-server (unix socket). */
type Json = Record<string, unknown>;

function rlsClient(port: number): { call(req: Json): Promise<Json>; close(): void } {
  const Ctor = makeGenericClientConstructor(rateLimitService(), 'RateLimitService');
  const client = new Ctor(`127.0.0.1:${port}`, credentials.createInsecure()) as Client & Record<string, (r: Json, cb: (e: Error | null, v: Json) => void) => void>;
  return {
    call: (req) => new Promise((resolve, reject) => client['ShouldRateLimit']!(req, (e, v) => (e ? reject(e) : resolve(v)))),
    close: () => client.close(),
  };
}

const path1 = (value: string): Json => ({ domain: 'productpage-ratelimit', descriptors: [{ entries: [{ key: 'PATH', value }] }] });

describe('rate limit service (RLS gRPC, Redis fixed windows)', () => {
  let redis: TestRedis;
  let service: RateLimitService;
  let dir: string;
  beforeAll(async () => {
    redis = await startTestRedis();
    dir = mkdtempSync(path.join(tmpdir(), 'trellis-rl-'));
    writeFileSync(path.join(dir, 'config.yaml'), ISTIO_TASK_CONFIG);
    writeFileSync(path.join(dir, '..data'), 'kubelet dotfile, ignored');
    const env = { REDIS_SOCKET_TYPE: 'unix', REDIS_URL: redis.socket, RUNTIME_ROOT: dir, RUNTIME_APPDIRECTORY: '.', RUNTIME_IGNOREDOTFILES: 'true', HOST: '127.0.0.1', GRPC_HOST: '127.0.0.1', DEBUG_HOST: '127.0.0.1', PORT: '0', GRPC_PORT: '0', DEBUG_PORT: '0' };
    service = await startRateLimitService(readSettings(env), createLogger({ name: 'ratelimit-test', level: 'silent' }));
  });
  afterAll(async () => {
    await service?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("Istio's task: /productpage once a minute, then OVER_LIMIT; other paths 100 a minute; unknown descriptors unlimited", async () => {
    const c = rlsClient(service.ports.grpc);
    try {
      const first = await c.call(path1('/productpage'));
      expect(first).toMatchObject({ overall_code: 'OK', statuses: [{ code: 'OK', current_limit: { requests_per_unit: 1, unit: 'MINUTE' } }] });
      expect(await c.call(path1('/productpage'))).toMatchObject({ overall_code: 'OVER_LIMIT', statuses: [{ code: 'OVER_LIMIT' }] });
      for (let i = 0; i < 5; i++) expect((await c.call(path1('/static/tailwind.css'))).overall_code).toBe('OK');
      expect(await c.call({ domain: 'productpage-ratelimit', descriptors: [{ entries: [{ key: 'remote_address', value: '10.0.0.1' }] }] })).toMatchObject({ overall_code: 'OK' });
      expect(await c.call({ domain: 'other-domain', descriptors: [{ entries: [{ key: 'PATH', value: '/productpage' }] }] })).toMatchObject({ overall_code: 'OK' });
    } finally {
      c.close();
    }
  });

  it('HTTP: /healthcheck, /json (429 over the limit) and the debug /rlconfig', async () => {
    expect(await (await fetch(`http://127.0.0.1:${service.ports.http}/healthcheck`)).text()).toBe('OK');
    const json = await fetch(`http://127.0.0.1:${service.ports.http}/json`, { method: 'POST', body: JSON.stringify(path1('/productpage')) });
    expect(json.status).toBe(429);
    expect(await (await fetch(`http://127.0.0.1:${service.ports.debug}/rlconfig`)).text()).toBe(
      'productpage-ratelimit.PATH_/productpage: unit=MINUTE requests_per_unit=1\nproductpage-ratelimit.PATH: unit=MINUTE requests_per_unit=100\n',
    );
  });

  it('Redis down: UNAVAILABLE (the proxy fails open unless failure_mode_deny), back when Redis is', async () => {
    const c = rlsClient(service.ports.grpc);
    try {
      await redis.kill();
      await expect(c.call(path1('/x'))).rejects.toMatchObject({ code: 14 });
      await redis.restart();
      expect(await c.call(path1('/x'))).toMatchObject({ overall_code: 'OK' });
    } finally {
      c.close();
    }
  });
});
