import { parseConfigFile } from './config/config';
import { ISTIO_TASK_CONFIG } from './testing/istio-task-config';
import { FixedWindowLimiter } from './limiter';
import { RedisClient } from './redis/client';
import { type TestRedis, startTestRedis } from './testing/redis-server';

/** Fixed windows against a real redis-server, the clock injected: a new minute starts a new count. */
describe('FixedWindowLimiter', () => {
  let redis: TestRedis;
  let client: RedisClient;
  beforeAll(async () => {
    redis = await startTestRedis();
    client = new RedisClient({ socketType: 'unix', url: redis.socket });
  });
  afterAll(async () => {
    await client?.close();
    await redis?.stop();
  });

  it('counts per window with the Go service key, expires it, and starts again in the next window', async () => {
    let now = Date.UTC(2026, 0, 1, 12, 0, 10);
    const limiter = new FixedWindowLimiter(client, () => now);
    const [config] = parseConfigFile('config.yaml', ISTIO_TASK_CONFIG);
    const pp = [[{ key: 'PATH', value: '/productpage' }]];
    expect((await limiter.shouldRateLimit(config, 'productpage-ratelimit', pp, 1)).code).toBe('OK');
    const over = await limiter.shouldRateLimit(config, 'productpage-ratelimit', pp, 1);
    expect(over).toMatchObject({ code: 'OVER_LIMIT', statuses: [{ code: 'OVER_LIMIT', remaining: 0, resetSeconds: 50 }] });
    const windowStart = Math.floor(now / 60_000) * 60;
    const [count, ttl] = await client.pipeline([['GET', `productpage-ratelimit_PATH_/productpage_${windowStart}`], ['TTL', `productpage-ratelimit_PATH_/productpage_${windowStart}`]]);
    expect(count).toBe('2');
    expect(Number(ttl)).toBeGreaterThan(50);
    now += 60_000;
    expect((await limiter.shouldRateLimit(config, 'productpage-ratelimit', pp, 1)).code).toBe('OK');
  });
});
