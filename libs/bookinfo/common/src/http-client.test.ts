import { createHttpClient, parseJsonBody } from './http-client';
import { closedPort, startStubServer, type StubServer } from './testing/stub-server';

describe('createHttpClient', () => {
  const servers: StubServer[] = [];
  const track = async (server: Promise<StubServer>): Promise<StubServer> => {
    const started = await server;
    servers.push(started);
    return started;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('returns status and body and sends the given headers directly', async () => {
    const upstream = await track(startStubServer({ status: 404, body: '{"a":1}' }));
    const client = createHttpClient();
    const outcome = await client.get(`http://127.0.0.1:${upstream.port}/x/1`, { headers: { 'end-user': 'jason' }, timeoutMs: 2000 });
    await client.close();
    expect(outcome).toEqual({ kind: 'response', status: 404, body: '{"a":1}' });
    expect(upstream.requests[0]?.url).toBe('/x/1');
    expect(upstream.requests[0]?.headers['end-user']).toBe('jason');
  });

  it('times out a hung server within the per-call budget', async () => {
    const upstream = await track(startStubServer('hang'));
    const client = createHttpClient();
    const started = Date.now();
    const outcome = await client.get(`http://127.0.0.1:${upstream.port}/`, { timeoutMs: 300 });
    await client.close();
    expect(outcome.kind === 'failure' && outcome.reason).toBe('timeout');
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports connection errors as network failures', async () => {
    const client = createHttpClient();
    const outcome = await client.get(`http://127.0.0.1:${await closedPort()}/`, { timeoutMs: 2000 });
    await client.close();
    expect(outcome.kind === 'failure' && outcome.reason).toBe('network');
  });

  it('sends absolute-form requests to the proxy (no CONNECT) and bypasses it for NO_PROXY hosts', async () => {
    const proxy = await track(startStubServer({ status: 200, body: '{"via":"proxy"}' }));
    const direct = await track(startStubServer({ status: 200, body: '{"via":"direct"}' }));
    const client = createHttpClient({ httpProxy: `http://127.0.0.1:${proxy.port}`, noProxy: ['127.0.0.1'] });
    const proxied = await client.get('http://reviews:9080/reviews/0', { headers: { 'x-request-id': 'r1' }, timeoutMs: 2000 });
    const bypassed = await client.get(`http://127.0.0.1:${direct.port}/ratings/0`, { timeoutMs: 2000 });
    await client.close();

    expect(proxied).toEqual({ kind: 'response', status: 200, body: '{"via":"proxy"}' });
    expect(proxy.requests).toEqual([
      expect.objectContaining({ method: 'GET', url: 'http://reviews:9080/reviews/0' }),
    ]);
    expect(proxy.requests[0]?.headers.host).toBe('reviews:9080');
    expect(proxy.requests[0]?.headers['x-request-id']).toBe('r1');
    expect(bypassed).toEqual({ kind: 'response', status: 200, body: '{"via":"direct"}' });
    expect(direct.requests[0]?.url).toBe('/ratings/0');
  });
});

describe('parseJsonBody', () => {
  it('parses JSON and yields undefined otherwise', () => {
    expect(parseJsonBody('{"a":[1]}')).toEqual({ a: [1] });
    expect(parseJsonBody('<html>')).toBeUndefined();
  });
});
