/**
 * Conformance, "like istiod with proxyless gRPC": the real @grpc/grpc-js-xds client dials
 * `xds:///greeter.default.svc.cluster.local:50051` through the whole control plane (file store +
 * registry → snapshot → translate (grpc flavour) → ADS), and follows Istio config applied over
 * the HTTP API: subsets and weights, header matches, fault abort, endpoint removal, and an
 * invalid config that never reaches the client.
 */
import * as grpc from '@grpc/grpc-js';
import * as grpcJsXds from '@grpc/grpc-js-xds';
import type { ProxySyncStatus } from '@trellis/mesh-xds';
import { call, callMany, eventually, guardLingeringTimers, removeStateDir, startBackend, startTestControlPlane, tally, type Backend, type TestControlPlane, type TimerGuard } from './testing/harness';

const TARGET = 'greeter.default.svc.cluster.local:50051';
const NODE_ID = 'sidecar~127.0.0.1~greeter-client-1.default~default.svc.cluster.local';
const VERSIONS = ['v1', 'v2', 'v3'] as const;

const meta = (kind: string, name = 'greeter'): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind,
  metadata: { name, namespace: 'default' },
});

const destinationRule = {
  ...meta('DestinationRule'),
  spec: { host: 'greeter', subsets: VERSIONS.map((v) => ({ name: v, labels: { version: v } })) },
};

const virtualService = (http: unknown[]): Record<string, unknown> => ({ ...meta('VirtualService'), spec: { hosts: ['greeter'], http } });

const to = (subset?: string, weight?: unknown): Record<string, unknown> => ({
  destination: subset ? { host: 'greeter', subset } : { host: 'greeter' },
  ...(weight === undefined ? {} : { weight }),
});

describe('proxyless gRPC (@grpc/grpc-js-xds) against the control plane', () => {
  let tcp: TestControlPlane;
  const backends = new Map<string, Backend>();
  let client: grpc.Client;
  let timers: TimerGuard | undefined;

  const ours = async (): Promise<ProxySyncStatus | undefined> => (await tcp.syncz()).find((p) => p.id === NODE_ID);

  /** The versions the client has been sent, to detect the next push. */
  const sentVersions = async (): Promise<string> => {
    const p = await ours();
    return p ? JSON.stringify(Object.values(p.types).map((t) => t.sentVersion)) : '';
  };

  /** Every subscribed type ACKed at its current version, no NACKs. */
  const allSynced = (p: ProxySyncStatus | undefined): boolean =>
    p !== undefined && Object.values(p.types).every((t) => (t.status === 'SYNCED' || t.status === 'NOT SENT') && t.lastNack === undefined);

  /** Waits until something new was pushed to our client (compared with `before`) and it ACKed all of it. */
  const pushedAndSynced = async (before: string): Promise<void> => {
    await eventually('a new push, ACKed', async () => (await sentVersions()) !== before && allSynced(await ours()), 8000);
  };

  const apply = async (objects: unknown[]): Promise<void> => {
    const before = await sentVersions();
    const res = await tcp.api('POST', '/api/v1/config/apply?namespace=default', { objects });
    expect(res.status).toBe(200);
    await pushedAndSynced(before);
  };

  beforeAll(async () => {
    timers = guardLingeringTimers();
    tcp = await startTestControlPlane();
    for (const v of VERSIONS) backends.set(v, await startBackend(v));

    const svc = await tcp.api('PUT', '/api/v1/registry/services/default/greeter', {
      name: 'greeter',
      namespace: 'default',
      hostname: 'greeter.default.svc.cluster.local',
      ports: [{ name: 'grpc', port: 50051, targetPort: 50051, protocol: 'GRPC' }],
      selector: { app: 'greeter' },
    });
    expect(svc.status).toBe(200);
    for (const v of VERSIONS) {
      const res = await tcp.api('PUT', `/api/v1/registry/workloads/default/greeter-${v}`, {
        name: `greeter-${v}`,
        namespace: 'default',
        address: '127.0.0.1',
        ports: { '50051': backends.get(v)!.port },
        labels: { app: 'greeter', version: v },
        serviceAccount: 'greeter',
        sidecar: false,
        ready: true,
      });
      expect(res.status).toBe(200);
    }

    process.env['GRPC_XDS_BOOTSTRAP_CONFIG'] = JSON.stringify({
      xds_servers: [{ server_uri: `127.0.0.1:${tcp.cp.xdsPort}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
      node: { id: NODE_ID, cluster: 'conformance', locality: {}, metadata: { GENERATOR: 'grpc', NAMESPACE: 'default' } },
    });
    grpcJsXds.register();
    client = new grpc.Client(`xds:///${TARGET}`, grpc.credentials.createInsecure());
  }, 15_000);

  afterAll(async () => {
    client?.close();
    for (const b of backends.values()) b.server.forceShutdown();
    await tcp?.close();
    if (tcp) await removeStateDir(tcp.stateDir);
    // Leftover grpc-js-xds LB timers (not cleared by its destroy) must not hold the process open.
    timers?.release();
  });

  it('1. resolves xds:///greeter.default.svc.cluster.local:50051 and calls a backend', async () => {
    const first = await call(client, {}, 8000);
    expect(first).toMatchObject({ ok: true });
    expect(VERSIONS).toContain(first.ok ? first.value : '');
    const p = await ours();
    expect(p?.proxy).toMatchObject({ generator: 'grpc', namespace: 'default', workloadName: 'greeter-client-1' });
    // Without routing config, round robin reaches every version.
    await eventually('all three versions answer', async () => Object.keys(tally(await callMany(client, 9))).length === 3);
    await eventually('client synced', async () => allSynced(await ours()));
  }, 20_000);

  it('2. DestinationRule subsets + VirtualService 80/20 (v1/v2): v1 share within ±10 points, never v3', async () => {
    await apply([destinationRule, virtualService([{ route: [to('v1', 80), to('v2', 20)] }])]);
    // Round robin over all three would answer v3 within 3 calls; 30 without v3 means the split is in force.
    await eventually('v3 no longer reached', async () => !(await callMany(client, 30)).includes('v3'));
    const answers = await callMany(client, 200);
    const counts = tally(answers);
    expect(counts['v3']).toBeUndefined();
    expect((counts['v1'] ?? 0) + (counts['v2'] ?? 0)).toBe(200);
    const v1Share = ((counts['v1'] ?? 0) / 200) * 100;
    expect(v1Share).toBeGreaterThanOrEqual(70);
    expect(v1Share).toBeLessThanOrEqual(90);
  }, 20_000);

  it('3. header match: end-user: jason → v3, everyone else → v1', async () => {
    await apply([
      virtualService([{ match: [{ headers: { 'end-user': { exact: 'jason' } } }], route: [to('v3')] }, { route: [to('v1')] }]),
    ]);
    await eventually('jason reaches v3', async () => (await call(client, { 'end-user': 'jason' })).ok && (await callMany(client, 5, { 'end-user': 'jason' })).every((v) => v === 'v3'));
    await eventually('others reach v1 only', async () => (await callMany(client, 10)).every((v) => v === 'v1'));
    expect(new Set(await callMany(client, 20, { 'end-user': 'jason' }))).toEqual(new Set(['v3']));
    expect(new Set(await callMany(client, 20, { 'end-user': 'mary' }))).toEqual(new Set(['v1']));
    expect(new Set(await callMany(client, 20))).toEqual(new Set(['v1']));
  }, 20_000);

  it('4. fault abort at 100%: httpStatus 503 → UNAVAILABLE, grpcStatus RESOURCE_EXHAUSTED → that code', async () => {
    await apply([virtualService([{ fault: { abort: { httpStatus: 503, percentage: { value: 100 } } }, route: [to('v1')] }])]);
    await eventually('calls are aborted', async () => {
      const r = await call(client);
      return !r.ok;
    });
    for (let i = 0; i < 10; i++) {
      const r = await call(client);
      expect(r).toEqual({ ok: false, code: grpc.status.UNAVAILABLE, details: 'Fault injected' });
    }

    // Istio's grpcStatus form is passed through as a gRPC code.
    await apply([virtualService([{ fault: { abort: { grpcStatus: 'RESOURCE_EXHAUSTED', percentage: { value: 100 } } }, route: [to('v1')] }])]);
    await eventually('grpcStatus abort in force', async () => {
      const r = await call(client);
      return !r.ok && r.code === grpc.status.RESOURCE_EXHAUSTED;
    });
    for (let i = 0; i < 5; i++) expect(await call(client)).toEqual({ ok: false, code: grpc.status.RESOURCE_EXHAUSTED, details: 'Fault injected' });
  }, 20_000);

  it('5. removing an endpoint moves traffic: DELETE the v1 workload → v1 is never reached again', async () => {
    await apply([virtualService([{ route: [to()] }])]);
    await eventually('routing to all versions again', async () => Object.keys(tally(await callMany(client, 9))).sort().join() === 'v1,v2,v3');

    const before = await sentVersions();
    const del = await tcp.api('DELETE', '/api/v1/registry/workloads/default/greeter-v1');
    expect(del.status).toBe(200);
    await pushedAndSynced(before);
    await eventually('v1 drained', async () => !(await callMany(client, 10)).includes('v1'));
    const answers = await callMany(client, 60);
    expect(answers).not.toContain('v1');
    expect(Object.keys(tally(answers)).sort()).toEqual(['v2', 'v3']);
  }, 20_000);

  it('6. an invalid VirtualService (string weight) is rejected with 422 and never reaches the client', async () => {
    const before = await sentVersions();
    const res = await tcp.api('POST', '/api/v1/config/apply?namespace=default', {
      objects: [virtualService([{ route: [to('v1', '80'), to('v2', 20)] }])],
    });
    expect(res.status).toBe(422);
    const body = res.body as { error: { code: string; details: Array<{ kind: string; name: string; path: string; message: string }> } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ kind: 'VirtualService', name: 'greeter', path: expect.stringMatching(/http\[0\]\.route\[0\]\.weight/) })]),
    );
    // The stored VirtualService is still the accepted one.
    const stored = await tcp.api('GET', '/api/v1/config/VirtualService/default/greeter');
    expect(stored.status).toBe(200);
    expect(JSON.stringify(stored.body)).not.toContain('"80"');

    // Nothing new is pushed; calls keep following the previous routing (all remaining versions).
    await new Promise((r) => setTimeout(r, 300));
    expect(await sentVersions()).toBe(before);
    const answers = await callMany(client, 30);
    expect(Object.keys(tally(answers)).sort()).toEqual(['v2', 'v3']);

    const p = await ours();
    expect(p).toBeDefined();
    for (const type of ['LDS', 'CDS', 'EDS'] as const) {
      expect(p!.types[type]).toMatchObject({ status: 'SYNCED' });
      expect(p!.types[type].lastNack).toBeUndefined();
    }
  }, 20_000);
});
