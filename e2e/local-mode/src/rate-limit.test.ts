import { readFileSync } from 'node:fs';
import path from 'node:path';
import { applyYaml } from './mtls-probes';
import { ROOT, removeStateDir, startStack, type TestStack } from './stack';
import { trellis } from './user';

// Istio's rate-limit task ("Enabling Rate Limits using Envoy") in local mode: `--with ratelimit` runs
// Redis (Debian's redis-server) and the rate limit service with the task's ConfigMap; the global limit
// is Istio's samples/bookinfo/policy/productpage_envoy_ratelimit.yaml as shipped (the gateway resolves
// ratelimit.default.svc.cluster.local for its STRICT_DNS cluster); the local one is the task's
// filter-local-ratelimit-svc (a TypedStruct token bucket, 10 a minute, x-local-rate-limit: true).
jest.setTimeout(240_000);

const LOCAL = `apiVersion: networking.istio.io/v1alpha3
kind: EnvoyFilter
metadata:
  name: filter-local-ratelimit-svc
  namespace: istio-system
spec:
  workloadSelector:
    labels:
      app: productpage
  configPatches:
    - applyTo: HTTP_FILTER
      match:
        context: SIDECAR_INBOUND
        listener:
          filterChain:
            filter:
              name: "envoy.filters.network.http_connection_manager"
      patch:
        operation: INSERT_BEFORE
        value:
          name: envoy.filters.http.local_ratelimit
          typed_config:
            "@type": type.googleapis.com/udpa.type.v1.TypedStruct
            type_url: type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
            value:
              stat_prefix: http_local_rate_limiter
              token_bucket:
                max_tokens: 10
                tokens_per_fill: 10
                fill_interval: 60s
              filter_enabled:
                runtime_key: local_rate_limit_enabled
                default_value:
                  numerator: 100
                  denominator: HUNDRED
              filter_enforced:
                runtime_key: local_rate_limit_enforced
                default_value:
                  numerator: 100
                  denominator: HUNDRED
              response_headers_to_add:
                - append: false
                  header:
                    key: x-local-rate-limit
                    value: 'true'
`;

let stack: TestStack;

async function gatewayGet(urlPath: string): Promise<{ status: number; limited: string | null }> {
  const r = await fetch(`${stack.gatewayUrl}${urlPath}`);
  await r.arrayBuffer();
  return { status: r.status, limited: r.headers.get('x-envoy-ratelimited') };
}

describe('rate limiting (policy-enforcement/rate-limit) in local mode', () => {
  beforeAll(async () => {
    stack = await startStack({ args: ['--with', 'ratelimit'] });
  });
  afterAll(async () => {
    const code = await stack?.stop();
    if (stack !== undefined) removeStateDir(stack.stateDir);
    expect(code).toBe(0);
  });

  it('global: /productpage once a minute through the gateway, then 429 with x-envoy-ratelimited; other paths 100 a minute', async () => {
    await applyYaml(stack.stateDir, readFileSync(path.join(ROOT, 'samples/bookinfo/policy/productpage_envoy_ratelimit.yaml'), 'utf8'));
    // the first request after the push is allowed; until the filter is in place every request is
    const deadline = Date.now() + 20_000;
    let r = await gatewayGet('/productpage');
    while (r.status !== 429 && Date.now() < deadline) r = await gatewayGet('/productpage');
    expect(r).toEqual({ status: 429, limited: 'true' });
    expect(await gatewayGet('/productpage')).toEqual({ status: 429, limited: 'true' });
    expect((await gatewayGet('/static/tailwind/tailwind.css')).status).toBe(200);
  });

  it('local: in-mesh requests from the ratings pod to productpage:9080 — 10 a minute, then 429 with x-local-rate-limit: true', async () => {
    await applyYaml(stack.stateDir, LOCAL);
    // `kubectl exec deploy/ratings-v1 -- curl productpage:9080/productpage` twelve times, once the filter is in place
    const loop = 'for i in $(seq 1 12); do curl -s -o /dev/null -D - http://productpage:9080/productpage | tr -d "\\r" | grep -Ei "^(HTTP/|x-local-rate-limit)"; done';
    const deadline = Date.now() + 20_000;
    let lines: string[] = [];
    while (Date.now() < deadline) {
      const r = await trellis(stack.stateDir, 'x', 'exec', 'deploy/ratings-v1', '--', 'sh', '-c', loop);
      lines = r.stdout.trim().split('\n');
      if (lines.some((l) => l.includes(' 429'))) break;
      await new Promise((res) => setTimeout(res, 2_000)); // the sidecar had not received the filter yet: run the loop again
    }
    const codes = lines.filter((l) => l.startsWith('HTTP/')).map((l) => l.split(' ')[1]);
    expect(codes.filter((c) => c === '200').length).toBeLessThanOrEqual(10);
    expect(codes.slice(-2)).toEqual(['429', '429']);
    expect(lines.filter((l) => /^x-local-rate-limit: true$/i.test(l)).length).toBe(codes.filter((c) => c === '429').length);
  });
});
