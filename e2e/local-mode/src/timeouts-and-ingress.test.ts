import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { getPage, sample, trellis } from './user';
import { removeStateDir, startStack, type TestStack } from './stack';

jest.setTimeout(120_000);

let stack: TestStack;
const tmp = mkdtempSync(path.join(tmpdir(), 'trellis-e2e-yaml-'));

function yamlFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

async function apply(file: string): Promise<void> {
  const res = await trellis(stack.stateDir, 'apply', '-f', file);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 500));

const REVIEWS_V2 = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: reviews }
spec:
  hosts: [reviews]
  http:
  - route:
    - destination: { host: reviews, subset: v2 }
`;
const RATINGS_DELAY_2S = `apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: ratings }
spec:
  hosts: [ratings]
  http:
  - fault:
      delay: { percentage: { value: 100 }, fixedDelay: 2s }
    route:
    - destination: { host: ratings, subset: v1 }
`;
const HOST_GATEWAY = `apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: bookinfo-gateway }
spec:
  selector: { istio: ingressgateway }
  servers:
  - port: { number: 8080, name: http, protocol: HTTP }
    hosts: [bookinfo.example.com]
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: bookinfo }
spec:
  hosts: [bookinfo.example.com]
  gateways: [bookinfo-gateway]
  http:
  - match: [{ uri: { exact: /productpage } }]
    route:
    - destination: { host: productpage, port: { number: 9080 } }
`;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack?.stop();
  removeStateDir(stack.stateDir);
});

describe('request timeouts', () => {
  it('a 2s ratings delay makes the page take ~2s with black stars; a 0.5s reviews timeout fails it in ~1s', async () => {
    await apply(sample('destination-rule-all.yaml'));
    await apply(yamlFile('reviews-v2.yaml', REVIEWS_V2));
    await apply(yamlFile('ratings-delay.yaml', RATINGS_DELAY_2S));
    await settle();
    const slow = await getPage(stack.gatewayUrl);
    expect(slow.color).toBe('black');
    // The delay is in force (≥ 2 s). No tight upper bound: a loaded CI machine adds seconds, and
    // performance is measured by benchmarks; the timeout below must still cut the page short of it.
    expect(slow.ms).toBeGreaterThan(1800);

    await apply(yamlFile('reviews-timeout.yaml', REVIEWS_V2.replace('  - route:', '  - timeout: 0.5s\n    route:')));
    await settle();
    const failed = await getPage(stack.gatewayUrl);
    expect(failed.body).toContain('Sorry, product reviews are currently unavailable for this book.');
    // 0.5 s timeout + productpage's one retry: about 1 s, and shorter than the 2 s delay it cut.
    expect(failed.ms).toBeGreaterThan(900);
    expect(failed.ms).toBeLessThan(slow.ms);
  });
});

describe('ingress host matching', () => {
  it('a Gateway + VirtualService for bookinfo.example.com routes only that Host', async () => {
    await apply(yamlFile('host-gateway.yaml', HOST_GATEWAY));
    await settle();
    // (fetch() may not set Host; undici's request can, like curl -H "Host: …")
    const status = async (host: string): Promise<number> => {
      const res = await request(`${stack.gatewayUrl}/productpage`, { headers: { host } });
      await res.body.dump();
      return res.statusCode;
    };
    expect(await status('bookinfo.example.com')).toBe(200);
    expect(await status('other.example.com')).toBe(404);
  });
});

describe('diagnostics', () => {
  it('get, proxy-status and x describe pod show what a user of istioctl expects', async () => {
    const vs = await trellis(stack.stateDir, 'get', 'vs');
    expect(vs.stdout).toMatch(/^NAME\s+GATEWAYS\s+HOSTS\s+AGE/m);
    const ps = await trellis(stack.stateDir, 'proxy-status');
    expect(ps.stdout).toMatch(/reviews-v2-\S+\.default\s+.*SYNCED\s+SYNCED\s+SYNCED\s+SYNCED/);
    const d = await trellis(stack.stateDir, 'x', 'describe', 'pod', 'reviews-v2');
    expect(d.stdout).toContain('Service: reviews');
    expect(d.stdout).toContain('DestinationRule: reviews for "reviews"');
    expect(d.stdout).toContain('Matching subsets: v2');
    expect(d.stdout).toContain('VirtualService: reviews');
  });
});

describe('persistence', () => {
  it('applied config survives a restart; --reset starts clean', async () => {
    await stack.stop();
    stack = await startStack({ stateDir: stack.stateDir });
    const after = await trellis(stack.stateDir, 'get', 'vs', 'reviews');
    expect(after.code).toBe(0);
    expect(after.stdout).toMatch(/^reviews\s/m);
    await stack.stop();
    stack = await startStack({ stateDir: stack.stateDir, reset: true });
    const reset = await trellis(stack.stateDir, 'get', 'vs', 'reviews');
    expect(reset.code).toBe(1);
  });
});
