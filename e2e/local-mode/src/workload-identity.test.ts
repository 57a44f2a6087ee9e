import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { controlPlaneAddress, removeStateDir, startStack, type TestStack } from './stack';
import { trellis } from './user';

// Every proxy of `npm start` holds a workload certificate for its ServiceAccount's SPIFFE identity,
// issued by the control plane's CA (15012) with the token the runner wrote for it.
jest.setTimeout(120_000);

let stack: TestStack;

interface Workload {
  name: string;
  namespace: string;
  address: string;
  serviceAccount: string;
  sidecar: boolean;
}

async function certs(ip: string): Promise<Array<{ ca_cert: unknown[]; cert_chain: Array<{ subject_alt_names: Array<{ uri?: string }>; days_until_expiration: string }> }>> {
  const res = await request(`http://${ip}:15000/certs`);
  return ((await res.body.json()) as { certificates: Awaited<ReturnType<typeof certs>> }).certificates;
}

async function eventuallyCerts(ip: string): Promise<Awaited<ReturnType<typeof certs>>> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const c = await certs(ip);
    if (c.length > 0 || Date.now() > deadline) return c;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('local mode: workload identities', () => {
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    const code = await stack?.stop();
    expect(code).toBe(0);
    removeStateDir(stack.stateDir);
  });

  it("every sidecar and the gateway hold a certificate for their ServiceAccount's SPIFFE identity", async () => {
    const res = await request(`${controlPlaneAddress(stack.stateDir)}/api/v1/registry/workloads`);
    const { items } = (await res.body.json()) as { items: Workload[] };
    expect(items.length).toBeGreaterThanOrEqual(6);
    // Pods without a sidecar (the addons: the trace store, Prometheus) hold no workload certificate.
    const proxies = [...items.filter((w) => w.sidecar).map((w) => ({ ip: w.address, id: `spiffe://cluster.local/ns/${w.namespace}/sa/${w.serviceAccount}`, pod: w.name })), { ip: `${stack.addressBlock}.2`, id: 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account', pod: 'gateway' }];
    for (const p of proxies) {
      const [entry] = await eventuallyCerts(p.ip);
      expect({ pod: p.pod, sans: entry?.cert_chain[0]?.subject_alt_names }).toEqual({ pod: p.pod, sans: [{ uri: p.id }] });
      expect(entry?.cert_chain[0]?.days_until_expiration).toBe('0');
      expect(entry?.ca_cert).toHaveLength(1);
    }
    const productpage = items.find((w) => w.name.startsWith('productpage'));
    const token = path.join(stack.stateDir, 'pods', productpage!.name, 'istio-token');
    expect(statSync(token).mode & 0o777).toBe(0o600);
    expect(readFileSync(token, 'utf8')).toMatch(/^tlw1\./);
  });

  it("trellis proxy-config secret prints istioctl's table for a pod", async () => {
    const res = await request(`${controlPlaneAddress(stack.stateDir)}/api/v1/registry/workloads`);
    const { items } = (await res.body.json()) as { items: Workload[] };
    const reviews = items.find((w) => w.name.startsWith('reviews-v1'))!;
    const out = await trellis(stack.stateDir, 'proxy-config', 'secret', reviews.name);
    expect(out.code).toBe(0);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^RESOURCE NAME\s+TYPE\s+STATUS\s+VALID CERT\s+SERIAL NUMBER\s+NOT AFTER\s+NOT BEFORE$/);
    expect(lines[1]).toMatch(/^ROOTCA\s+CA\s+ACTIVE\s+true\s+[0-9a-f]+\s+\S+Z\s+\S+Z$/);
    expect(lines[2]).toMatch(/^default\s+Cert Chain\s+ACTIVE\s+true\s+[0-9a-f]+\s+\S+Z\s+\S+Z$/);
    const json = JSON.parse((await trellis(stack.stateDir, 'pc', 'secret', `${reviews.name}.default`, '-o', 'json')).stdout) as { dynamic_active_secrets: Array<{ name: string }> };
    expect(json.dynamic_active_secrets.map((s) => s.name).sort()).toEqual(['ROOTCA', 'default']);
  });
});
