import { credentials, makeClientConstructor, type Client, type ServiceError } from '@grpc/grpc-js';
import { silentLogger } from '@trellis/shared';
import { DENY_BODY } from './check';
import { authorizationService, type CheckRequest, type CheckResponse } from './grpc-check';
import { startExtAuthz, type ExtAuthzServer } from './server';

type CheckClient = Client & { Check(req: CheckRequest, cb: (err: ServiceError | null, res: CheckResponse) => void): void };

describe('ext-authz server (real sockets, port 0)', () => {
  let server: ExtAuthzServer;
  let client: CheckClient;
  beforeAll(async () => {
    server = await startExtAuthz({ httpPort: 0, grpcPort: 0, allowServiceAccount: 'a', host: '127.0.0.1' }, silentLogger());
    const Ctor = makeClientConstructor(authorizationService(), 'Authorization');
    client = new Ctor(`127.0.0.1:${server.grpcPort}`, credentials.createInsecure()) as unknown as CheckClient;
  });
  afterAll(async () => {
    client.close();
    await server.close();
  });
  const check = (req: CheckRequest): Promise<CheckResponse> =>
    new Promise((resolve, reject) => client.Check(req, (err, res) => (err === null ? resolve(res) : reject(err))));
  const headerOf = (res: CheckResponse, key: string): string | undefined =>
    [...(res.ok_response?.headers ?? []), ...(res.denied_response?.headers ?? [])].find((h) => h.header.key === key)?.header.value;

  describe('HTTP check', () => {
    const url = (): string => `http://127.0.0.1:${server.httpPort}/anything/path?q=1`;

    it('x-ext-authz: allow → 200, no body, allowed, the override header echoed, the request dumped Go-style', async () => {
      const res = await fetch(url(), { headers: { 'x-ext-authz': 'allow', 'x-ext-authz-additional-header-override': 'mine' } });
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('');
      expect(res.headers.get('x-ext-authz-check-result')).toBe('allowed');
      expect(res.headers.get('x-ext-authz-additional-header-override')).toBe('mine');
      const received = res.headers.get('x-ext-authz-check-received') ?? '';
      expect(received).toMatch(new RegExp(`^GET 127\\.0\\.0\\.1:${server.httpPort}/anything/path\\?q=1, headers: map\\[.*X-Ext-Authz:\\[allow\\].*\\], body: \\[\\]$`));
      expect(received).not.toMatch(/Host:/);
    });

    it.each([[{ 'x-ext-authz': 'bla' }], [{}]])('%j → 403 with the Go server\'s body and denied', async (headers) => {
      const res = await fetch(url(), { method: 'POST', headers, body: 'hello' });
      expect(res.status).toBe(403);
      expect(await res.text()).toBe('denied by ext_authz for not found header `x-ext-authz: allow` in the request');
      expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(res.headers.get('content-length')).toBe('76');
      expect(res.headers.get('x-ext-authz-check-result')).toBe('denied');
      expect(res.headers.get('x-ext-authz-additional-header-override')).toBe('');
      expect(res.headers.get('x-ext-authz-check-received')).toMatch(/^POST .*, body: \[hello\]$/);
    });
  });

  describe('gRPC envoy.service.auth.v3.Authorization/Check', () => {
    const http = (headers: Record<string, string>): CheckRequest => ({ attributes: { request: { http: { host: 'httpbin.foo:8000', path: '/headers', headers } } } });

    it('x-ext-authz: allow → OK with ok_response headers', async () => {
      const res = await check(http({ 'x-ext-authz': 'allow', ':path': '/headers' }));
      expect(res.status.code).toBe(0);
      expect(res.denied_response).toBeUndefined();
      expect(headerOf(res, 'x-ext-authz-check-result')).toBe('allowed');
      expect(headerOf(res, 'x-ext-authz-additional-header-override')).toBe('grpc-additional-header-override-value');
      expect(headerOf(res, 'x-ext-authz-check-received')).toContain('headers:{key:"x-ext-authz" value:"allow"}');
    });

    it('x-ext-authz: deny → PERMISSION_DENIED, denied_response 403 with the body', async () => {
      const res = await check(http({ 'x-ext-authz': 'deny' }));
      expect(res.status.code).toBe(7);
      expect(res.ok_response).toBeUndefined();
      expect(res.denied_response?.status.code).toBe(403);
      expect(res.denied_response?.body).toBe(DENY_BODY);
      expect(headerOf(res, 'x-ext-authz-check-result')).toBe('denied');
    });

    it('without the header the source principal decides: …/sa/a allowed, …/sa/b denied', async () => {
      const from = (principal: string): CheckRequest => ({ attributes: { source: { principal }, request: { http: { headers: {} } } } });
      expect((await check(from('spiffe://cluster.local/ns/foo/sa/a'))).status.code).toBe(0);
      expect((await check(from('spiffe://cluster.local/ns/foo/sa/b'))).status.code).toBe(7);
      expect((await check({})).status.code).toBe(7);
    });
  });
});
