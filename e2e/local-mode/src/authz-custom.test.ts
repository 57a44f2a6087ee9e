import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { defaultHttpbinBinary } from '@trellis/mesh-local';
import { applyYaml } from './mtls-probes';
import { removeStateDir, startStack, type TestStack } from './stack';
import { trellis } from './user';

// Istio's authz-custom task (external authorization) in local mode: the ext-authz sample in foo, the
// mesh config's extensionProviders (local mode: <state>/mesh.yaml), a CUSTOM AuthorizationPolicy on
// httpbin's /headers, through the gRPC provider and then the HTTP one; curl from sleep as the task does.
jest.setTimeout(240_000);

const httpbin = process.env['TRELLIS_HTTPBIN'] ?? defaultHttpbinBinary(process.env);
if (!existsSync(httpbin)) process.stderr.write(`skipping authz-custom: ${httpbin} not built (tools/samples/build-httpbin.sh)\n`);
const describeWithHttpbin = existsSync(httpbin) ? describe : describe.skip;

// The task's `kubectl edit configmap istio -n istio-system` addition, as written there (ports quoted).
const MESH = `extensionProviders:
- name: "sample-ext-authz-grpc"
  envoyExtAuthzGrpc:
    service: "ext-authz.foo.svc.cluster.local"
    port: "9000"
- name: "sample-ext-authz-http"
  envoyExtAuthzHttp:
    service: "ext-authz.foo.svc.cluster.local"
    port: "8000"
    includeRequestHeadersInCheck: ["x-ext-authz"]
`;

const policy = (provider: string): string => `apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: ext-authz
  namespace: foo
spec:
  selector:
    matchLabels:
      app: httpbin
  action: CUSTOM
  provider:
    name: ${provider}
  rules:
  - to:
    - operation:
        paths: ["/headers"]
`;

const DENIED_BODY = 'denied by ext_authz for not found header `x-ext-authz: allow` in the request';

let stack: TestStack;

/** `kubectl exec deploy/sleep -n foo -- curl "http://httpbin.foo:8000<path>" -H "x-ext-authz: <v>" -s` (+ status). */
async function curl(urlPath: string, header: string): Promise<{ code: string; body: string }> {
  const r = await trellis(stack.stateDir, 'x', 'exec', '-n', 'foo', 'deploy/sleep', '--', 'curl', `http://httpbin.foo:8000${urlPath}`, '-H', `x-ext-authz: ${header}`, '-s', '-w', '\n%{http_code}');
  const i = r.stdout.lastIndexOf('\n');
  return { body: r.stdout.slice(0, i), code: r.stdout.slice(i + 1) };
}

async function until(urlPath: string, header: string, code: string, timeoutMs = 20_000): Promise<{ code: string; body: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await curl(urlPath, header);
    if (r.code === code || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 300));
  }
}

describeWithHttpbin('external authorization (authz-custom) in local mode', () => {
  beforeAll(async () => {
    stack = await startStack({ args: ['--with', 'httpbin@foo,sleep@foo,extauthz@foo'] });
    writeFileSync(path.join(stack.stateDir, 'mesh.yaml'), MESH);
  });
  afterAll(async () => {
    const code = await stack?.stop();
    if (stack !== undefined) removeStateDir(stack.stateDir);
    expect(code).toBe(0);
  });

  it.each([['sample-ext-authz-grpc'], ['sample-ext-authz-http']])('%s: /headers needs x-ext-authz: allow; /ip is not checked', async (provider) => {
    await applyYaml(stack.stateDir, policy(provider));
    const denied = await until('/headers', 'deny', '403');
    expect([denied.code, denied.body]).toEqual(['403', DENIED_BODY]);
    const allowed = await until('/headers', 'allow', '200');
    expect(allowed.code).toBe('200');
    // The gRPC server's OkHttpResponse adds x-ext-authz-check-result upstream; the HTTP provider forwards
    // authorizer headers upstream only when headersToUpstreamOnAllow names them (the task sets none).
    if (provider.endsWith('grpc')) expect(allowed.body).toContain('"X-Ext-Authz-Check-Result"');
    expect((await curl('/ip', 'deny')).code).toBe('200');
  });

  it('deleting the policy stops the checks', async () => {
    await applyYaml(stack.stateDir, policy('sample-ext-authz-http'), 'delete');
    expect((await until('/headers', 'deny', '200')).code).toBe('200');
  });
});
