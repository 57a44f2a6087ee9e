import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LocalRegistry } from '../registry/local-registry';
import { MemoryConfigStore } from '../store/memory-store';
import { JwksResolver } from './jwks-resolver';
import { registryDialer } from './registry-dial';

const KEYS_A = JSON.stringify({ keys: [{ kty: 'RSA', kid: 'a', e: 'AQAB', n: 'aaa' }, { kty: 'RSA', kid: 'b', e: 'AQAB', n: 'bbb' }] });
const KEYS_A_REORDERED = JSON.stringify({ keys: [{ n: 'bbb', e: 'AQAB', kid: 'b', kty: 'RSA' }, { kty: 'RSA', kid: 'a', e: 'AQAB', n: 'aaa' }] });
const KEYS_B = JSON.stringify({ keys: [{ kty: 'RSA', kid: 'c', e: 'AQAB', n: 'ccc' }] });

/** A JWKS server whose answers the test changes; counts requests per path. */
async function jwksServer(): Promise<{ base: string; routes: Map<string, { status: number; body: string }>; hits: Map<string, number>; close(): Promise<void> }> {
  const routes = new Map<string, { status: number; body: string }>();
  const hits = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const path = req.url ?? '';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/hang') return;
    const r = routes.get(path) ?? { status: 404, body: 'not found' };
    res.writeHead(r.status, { 'content-type': 'application/json' }).end(r.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, routes, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const requestAuthn = (name: string, jwtRules: unknown[]) => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'RequestAuthentication',
  metadata: { name, namespace: 'foo' },
  spec: { jwtRules },
});

describe('JwksResolver (real HTTP server)', () => {
  let srv: Awaited<ReturnType<typeof jwksServer>>;
  let resolver: JwksResolver | undefined;
  beforeEach(async () => {
    srv = await jwksServer();
  });
  afterEach(async () => {
    resolver?.close();
    await srv.close();
  });

  const start = (store: MemoryConfigStore): { resolver: JwksResolver; changes: () => number } => {
    let n = 0;
    resolver = JwksResolver.start({ store, refreshIntervalMs: 3_600_000, retryIntervalMs: 3_600_000, timeoutMs: 2000 });
    resolver.onChange(() => n++);
    return { resolver, changes: () => n };
  };

  it('fetches a new jwksUri as soon as a policy names it, and signals once', async () => {
    srv.routes.set('/jwks.json', { status: 200, body: KEYS_A });
    const store = new MemoryConfigStore();
    const { resolver: r, changes } = start(store);
    expect(r.jwks()).toEqual({});
    await store.applyAll([requestAuthn('a', [{ issuer: 'i', jwksUri: `${srv.base}/jwks.json` }])]);
    await r.settled();
    expect(r.jwks()).toEqual({ [`${srv.base}/jwks.json`]: KEYS_A });
    expect(changes()).toBe(1);
  });

  it('refresh: new keys → change; same keys reordered → no change; failure and garbage keep the last good', async () => {
    const uri = `${srv.base}/jwks.json`;
    srv.routes.set('/jwks.json', { status: 200, body: KEYS_A });
    const store = new MemoryConfigStore();
    await store.applyAll([requestAuthn('a', [{ issuer: 'i', jwksUri: uri }])]);
    const { resolver: r, changes } = start(store);
    await r.settled();
    expect(changes()).toBe(1);

    srv.routes.set('/jwks.json', { status: 200, body: KEYS_A_REORDERED });
    await r.refresh();
    expect(changes()).toBe(1);
    expect(r.jwks()[uri]).toBe(KEYS_A);

    srv.routes.set('/jwks.json', { status: 503, body: 'upstream connect error' });
    await r.refresh();
    srv.routes.set('/jwks.json', { status: 200, body: '<html>login</html>' });
    await r.refresh();
    srv.routes.set('/jwks.json', { status: 200, body: '{"issuer":"x"}' });
    await r.refresh();
    expect(r.jwks()[uri]).toBe(KEYS_A);
    expect(changes()).toBe(1);

    srv.routes.set('/jwks.json', { status: 200, body: KEYS_B });
    await r.refresh();
    expect(r.jwks()[uri]).toBe(KEYS_B);
    expect(changes()).toBe(2);
    expect(srv.hits.get('/jwks.json')).toBe(6);
  });

  it('the refresh timer runs by itself (configurable period)', async () => {
    srv.routes.set('/jwks.json', { status: 200, body: KEYS_A });
    const store = new MemoryConfigStore();
    await store.applyAll([requestAuthn('a', [{ issuer: 'i', jwksUri: `${srv.base}/jwks.json` }])]);
    resolver = JwksResolver.start({ store, refreshIntervalMs: 50, timeoutMs: 2000 });
    const r = resolver;
    await r.settled();
    srv.routes.set('/jwks.json', { status: 200, body: KEYS_B });
    const changed = new Promise<void>((resolve) => r.onChange(resolve));
    await changed;
    expect(r.jwks()[`${srv.base}/jwks.json`]).toBe(KEYS_B);
  });

  it('issuer only: OpenID discovery, then the jwks_uri it names; keyed by the discovery URL', async () => {
    srv.routes.set('/.well-known/openid-configuration', { status: 200, body: JSON.stringify({ issuer: srv.base, jwks_uri: `${srv.base}/certs` }) });
    srv.routes.set('/certs', { status: 200, body: KEYS_B });
    const store = new MemoryConfigStore();
    await store.applyAll([requestAuthn('a', [{ issuer: `${srv.base}/` }])]);
    const { resolver: r } = start(store);
    await r.settled();
    expect(r.jwks()).toEqual({ [`${srv.base}/.well-known/openid-configuration`]: KEYS_B });
  });

  it('a server that never answers times out (bounded) and publishes nothing', async () => {
    const store = new MemoryConfigStore();
    await store.applyAll([requestAuthn('a', [{ issuer: 'slow', jwksUri: `${srv.base}/hang` }])]);
    resolver = JwksResolver.start({ store, refreshIntervalMs: 3_600_000, timeoutMs: 100 });
    const started = Date.now();
    await resolver.settled();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(resolver.jwks()).toEqual({});
  });

  it('an unreachable or too large JWKS is never published; a dropped policy drops its keys', async () => {
    srv.routes.set('/big', { status: 200, body: JSON.stringify({ keys: [{ kty: 'oct', k: 'x'.repeat(5000) }] }) });
    srv.routes.set('/jwks.json', { status: 200, body: KEYS_A });
    const store = new MemoryConfigStore();
    await store.applyAll([
      requestAuthn('a', [{ issuer: 'big', jwksUri: `${srv.base}/big` }, { issuer: 'down', jwksUri: 'http://127.0.0.1:1/jwks' }]),
      requestAuthn('b', [{ issuer: 'ok', jwksUri: `${srv.base}/jwks.json` }]),
    ]);
    resolver = JwksResolver.start({ store, refreshIntervalMs: 3_600_000, timeoutMs: 2000, maxBytes: 1024 });
    const r = resolver;
    await r.settled();
    expect(Object.keys(r.jwks())).toEqual([`${srv.base}/jwks.json`]);
    await store.deleteAll([{ kind: 'RequestAuthentication', namespace: 'foo', name: 'b' }]);
    expect(r.jwks()).toEqual({});
  });
});

describe('registryDialer (local mode: no cluster DNS)', () => {
  it('fetches a jwksUri naming a Service from a ready workload of it, with the Service host as Host', async () => {
    let host = '';
    const server = http.createServer((req, res) => {
      host = req.headers.host ?? '';
      res.end(KEYS_A);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const registry = new LocalRegistry();
    registry.upsertService({ name: 'jwt-server', namespace: 'istio-system', hostname: 'jwt-server.istio-system.svc.cluster.local', ports: [{ name: 'http', port: 8000, targetPort: 8000, protocol: 'HTTP' }], selector: { app: 'jwt-server' } });
    registry.upsertWorkload({ name: 'jwt-server-1', namespace: 'istio-system', address: '127.0.0.1', ports: { '8000': port }, labels: { app: 'jwt-server' }, serviceAccount: 'default', sidecar: false, ready: true });
    const store = new MemoryConfigStore();
    const uri = 'http://jwt-server.istio-system.svc.cluster.local:8000/jwks';
    await store.applyAll([requestAuthn('a', [{ issuer: 'testing@secure.istio.io', jwksUri: uri }])]);
    const r = JwksResolver.start({ store, dial: registryDialer(registry), refreshIntervalMs: 3_600_000, timeoutMs: 2000 });
    try {
      await r.settled();
      expect(r.jwks()).toEqual({ [uri]: KEYS_A });
      expect(host).toBe('jwt-server.istio-system.svc.cluster.local:8000');
    } finally {
      r.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
