import path from 'node:path';
import { getPage, trellis, type PageView } from './user';
import { ROOT, removeStateDir, startStack, type TestStack } from './stack';

// Istio's Getting Started with the Gateway API and the Gateway API tabs of request routing and traffic
// shifting, in local mode: `trellis apply -f samples/bookinfo/gateway-api/…` as a user types it; the
// Gateway gets its own router process (Istio's automated deployment) on its own loopback address.
jest.setTimeout(180_000);

const gwapi = (file: string): string => path.join(ROOT, 'samples/bookinfo/gateway-api', file);
let stack: TestStack;
let gatewayUrl: string;

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `trellis get gtw` until PROGRAMMED is True (kubectl wait --for=condition=programmed); the row's columns. */
async function programmed(timeoutMs = 30_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await trellis(stack.stateDir, 'get', 'gtw');
    const row = res.stdout.split('\n').find((l) => l.startsWith('bookinfo-gateway '))?.split(/\s+/);
    if (row?.[3] === 'True') return row;
    if (Date.now() > deadline) throw new Error(`bookinfo-gateway not programmed in ${timeoutMs} ms:\n${res.stdout}${res.stderr}`);
    await wait(200);
  }
}

async function pages(n: number): Promise<PageView[]> {
  const out: PageView[] = [];
  for (let i = 0; i < n; i++) out.push(await getPage(gatewayUrl));
  return out;
}

/** Until `n` consecutive pages through the Gateway API gateway satisfy `ok`; ms it took. */
async function settle(ok: (v: PageView) => boolean, n = 8, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  for (let streak = 0; streak < n; ) {
    if (Date.now() - started > timeoutMs) throw new Error('routing did not settle');
    streak = ok(await getPage(gatewayUrl)) ? streak + 1 : 0;
  }
  return Date.now() - started;
}

const version = (v: PageView): string => (v.stars === 0 ? 'v1' : v.color === 'black' ? 'v2' : 'v3');

beforeAll(async () => {
  stack = await startStack({ args: ['--with', 'versions'] });
});

afterAll(async () => {
  const code = await stack?.stop();
  expect(code).toBe(0);
  removeStateDir(stack.stateDir);
});

describe('Gateway API in local mode', () => {
  it('GatewayClass istio exists, as istiod creates it', async () => {
    const res = await trellis(stack.stateDir, 'get', 'gatewayclass');
    expect(res.stdout).toMatch(/^NAME\s+CONTROLLER\s+ACCEPTED\s+AGE\nistio\s+istio\.io\/gateway-controller\s+True\s+/);
  });

  it('deploys the Bookinfo gateway on its own address and serves the product page (Getting Started)', async () => {
    const applied = await trellis(stack.stateDir, 'apply', '-f', gwapi('bookinfo-gateway.yaml'));
    expect(applied).toMatchObject({ code: 0, stdout: 'gateway.gateway.networking.k8s.io/bookinfo-gateway created\nhttproute.gateway.networking.k8s.io/bookinfo created\n' });
    const [, cls, address] = await programmed();
    expect(cls).toBe('istio');
    expect(address).toMatch(new RegExp(`^${stack.addressBlock.replace(/\./g, '\\.')}\\.\\d+$`));
    expect(stack.output()).toMatch(/✔ Gateway default\/bookinfo-gateway deployed: bookinfo-gateway-istio at \S+ \(pod bookinfo-gateway-istio-\S+, ports 80\)/);
    gatewayUrl = `http://${address ?? ''}:80`;
    const seen = new Set((await pages(30)).map((v) => (expect(v.status).toBe(200), expect(v.body).toContain('<title>Simple Bookstore App</title>'), version(v))));
    expect([...seen].sort()).toEqual(['v1', 'v2', 'v3']);
    const route = await trellis(stack.stateDir, 'get', 'httproute', 'bookinfo', '-o', 'yaml');
    expect(route.stdout).toMatch(/message: Route was valid/);
  });

  it('request routing: HTTPRoute reviews → reviews-v1 (route-reviews-v1.yaml)', async () => {
    expect((await trellis(stack.stateDir, 'apply', '-f', gwapi('route-reviews-v1.yaml'))).stdout).toBe('httproute.gateway.networking.k8s.io/reviews created\n');
    await settle((v) => v.status === 200 && version(v) === 'v1');
    expect((await pages(20)).map(version)).toEqual(Array(20).fill('v1'));
  });

  it('traffic shifting: 50 % to reviews-v3, then all of it (route-reviews-50-v3.yaml, route-reviews-v3.yaml)', async () => {
    expect((await trellis(stack.stateDir, 'apply', '-f', gwapi('route-reviews-50-v3.yaml'))).stdout).toBe('httproute.gateway.networking.k8s.io/reviews configured\n');
    await settle((v) => version(v) === 'v3', 1);
    const split = (await pages(100)).map(version);
    const count = (s: string): number => split.filter((x) => x === s).length;
    expect(count('v2')).toBe(0);
    expect(count('v1')).toBeGreaterThanOrEqual(30);
    expect(count('v3')).toBeGreaterThanOrEqual(30);
    await trellis(stack.stateDir, 'apply', '-f', gwapi('route-reviews-v3.yaml'));
    await settle((v) => version(v) === 'v3');
    expect((await pages(20)).map(version)).toEqual(Array(20).fill('v3'));
  });

  it('deleting the Gateway stops its gateway; the Istio ingress gateway keeps serving', async () => {
    expect((await trellis(stack.stateDir, 'delete', 'httproute', 'reviews')).code).toBe(0);
    const deleted = await trellis(stack.stateDir, 'delete', '-f', gwapi('bookinfo-gateway.yaml'));
    expect(deleted.stdout).toBe('gateway.gateway.networking.k8s.io "bookinfo-gateway" deleted\nhttproute.gateway.networking.k8s.io "bookinfo" deleted\n');
    const deadline = Date.now() + 10_000;
    while (!/✔ Gateway default\/bookinfo-gateway removed/.test(stack.output())) {
      if (Date.now() > deadline) throw new Error(`the gateway process was not stopped:\n${stack.output()}`);
      await wait(200);
    }
    await expect(getPage(gatewayUrl)).rejects.toThrow();
    expect((await getPage(stack.gatewayUrl)).status).toBe(200);
  });
});
