/**
 * The gateway as a real process (dist/apps/proxy) configured by a real control plane
 * (dist/apps/control-plane) over ADS, in front of real node:http upstreams.
 */
import {
  DESTINATION_RULE,
  GATEWAY,
  applyConfig,
  randomBlock,
  register,
  startControlPlane,
  startGateway,
  startLoad,
  startUpstream,
  stopAll,
  syncz,
  tmpStateDir,
  until,
  virtualService,
  waitHttp,
  type Proc,
  type Upstream,
} from './testing/harness';

const block = randomBlock();
const cp = { host: `${block}.1`, xdsPort: 15010, httpPort: 15014, stateDir: '' };
const base = `http://${cp.host}:${cp.httpPort}`;
const gatewayUrl = `http://${block}.3:18080`;
const procs: Proc[] = [];
const upstreams: Upstream[] = [];
const state = tmpStateDir();

const get = async (path: string): Promise<{ status: number; server: string | null; body: string }> => {
  const res = await fetch(gatewayUrl + path, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, server: res.headers.get('server'), body: await res.text() };
};

/** The gateway's RDS status as the control plane sees it. */
const gatewayRds = async (): Promise<{ ackedVersion?: string; sentVersion?: string; lastNack?: { message: string; version: string } } | undefined> =>
  (await syncz(base)).find((p) => p.id.startsWith(`router~${block}.2~`))?.types.RDS;

/** Resolves once the gateway has ACKed the control plane's latest RDS. */
const synced = async (): Promise<void> =>
  until(async () => {
    const rds = await gatewayRds();
    return rds?.sentVersion !== undefined && rds.ackedVersion === rds.sentVersion;
  }, 10_000, 'gateway RDS in sync');

beforeAll(async () => {
  upstreams.push(await startUpstream('v1', `${block}.20`), await startUpstream('v2', `${block}.21`));
  procs.push(startControlPlane({ ...cp, stateDir: state.dir }));
  await waitHttp(`${base}/ready`);
  const [v1, v2] = upstreams;
  if (!v1 || !v2) throw new Error('upstreams not started');
  await register(base, [[v1, 'v1'], [v2, 'v2']]);
  const applied = await applyConfig(base, [GATEWAY, DESTINATION_RULE, virtualService(100)]);
  if (applied.status >= 300) throw new Error(`apply: ${applied.status} ${applied.body}`);
  procs.push(startGateway({ block, xds: `${cp.host}:${cp.xdsPort}`, publishPort: 18080 }));
  await waitHttp(`http://${block}.2:15021/healthz/ready`);
  await synced();
}, 30_000);

afterAll(async () => {
  await stopAll(procs);
  await Promise.all(upstreams.map((u) => u.close()));
  state.remove();
});

describe('gateway (router) from the control plane', () => {
  it('routes a Gateway + VirtualService to the registered service; unrouted paths are 404', async () => {
    const ok = await get('/web/hello');
    expect(ok).toEqual({ status: 200, server: 'istio-envoy', body: 'v1' });
    expect(upstreams[0]?.seen).toContain('/web/hello');
    const missing = await get('/elsewhere');
    expect(missing.status).toBe(404);
    expect(missing.server).toBe('istio-envoy');
  });

  it('NACKs a route the proxy cannot compile and keeps serving the last good config', async () => {
    const before = await gatewayRds();
    // The control plane accepts the VirtualService (its schema only says "string")…
    const bad = await applyConfig(base, [virtualService(0, { uri: { regex: '(' } })]);
    expect(bad.status).toBeLessThan(300);
    // …the proxy rejects the RDS that carries it, and the control plane records the NACK.
    await until(async () => (await gatewayRds())?.lastNack !== undefined, 10_000, 'RDS NACK in /debug/syncz');
    const rds = await gatewayRds();
    expect(rds?.lastNack?.message).toMatch(/regex/);
    expect(rds?.ackedVersion).toBe(before?.ackedVersion);
    expect(rds?.sentVersion).not.toBe(rds?.ackedVersion);
    // The previous routes (/web → v1 only) are still in force.
    for (let i = 0; i < 10; i++) expect(await get('/web/after-nack')).toEqual({ status: 200, server: 'istio-envoy', body: 'v1' });

    // A good config is accepted again.
    expect((await applyConfig(base, [virtualService(100)])).status).toBeLessThan(300);
    await synced();
    expect((await get('/web/recovered')).body).toBe('v1');
  });

  it('serves a VirtualService gRPC fault (abort.grpcStatus) as a trailers-only gRPC reply, RDS ACKed', async () => {
    /** Applies and waits until the gateway has ACKed a newer RDS than it had (not NACKed it). */
    const applyAndAck = async (objects: unknown[]): Promise<void> => {
      const before = (await gatewayRds())?.ackedVersion;
      expect((await applyConfig(base, objects)).status).toBeLessThan(300);
      await until(async () => {
        const rds = await gatewayRds();
        return rds?.ackedVersion !== before && rds?.ackedVersion === rds?.sentVersion;
      }, 10_000, 'gateway ACKs the new RDS');
    };
    const vs = virtualService(100) as { spec: { http: Record<string, unknown>[] } };
    vs.spec.http[0] = { ...vs.spec.http[0], fault: { abort: { grpcStatus: 'UNAVAILABLE', percentage: { value: 100 } } } };
    await applyAndAck([vs]); // before the fault filter served grpc_status, this RDS was NACKed
    const res = await fetch(`${gatewayUrl}/web/rpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/grpc', te: 'trailers' },
      body: new Uint8Array([0, 0, 0, 0, 0]),
      signal: AbortSignal.timeout(5000),
    });
    expect([res.status, res.headers.get('grpc-status'), res.headers.get('grpc-message')]).toEqual([200, '14', 'fault filter abort']);
    await applyAndAck([virtualService(100)]);
    expect((await get('/web/after-fault')).body).toBe('v1');
  });

  it('shifts weights between subsets under steady load without a failed request', async () => {
    const load = startLoad(`${gatewayUrl}/web/load`, 100);
    for (const weight of [80, 50, 20, 0]) {
      await new Promise((r) => setTimeout(r, 700));
      const applied = await applyConfig(base, [virtualService(weight)]);
      expect(applied.status).toBeLessThan(300);
    }
    await synced();
    await new Promise((r) => setTimeout(r, 500));
    const result = await load.stop();
    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(result.sent);
    expect(result.sent).toBeGreaterThan(250);
    expect(new Set(result.bodies)).toEqual(new Set(['v1', 'v2']));
    // The final routing (100 % v2) is in effect.
    for (let i = 0; i < 20; i++) expect((await get('/web/final')).body).toBe('v2');
  });
});
