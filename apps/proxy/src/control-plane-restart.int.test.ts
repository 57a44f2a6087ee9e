/**
 * The control plane restarted under steady traffic: the gateway keeps serving its last config while
 * the control plane is away, reconnects to the new one (same host, ports and state dir), and not
 * one request fails.
 */
import {
  DESTINATION_RULE,
  GATEWAY,
  api,
  applyConfig,
  randomBlock,
  register,
  sleep,
  startControlPlane,
  startGateway,
  startLoad,
  startUpstream,
  stop,
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
const state = tmpStateDir();
const cp = { host: `${block}.1`, xdsPort: 15010, httpPort: 15014, stateDir: state.dir };
const base = `http://${cp.host}:${cp.httpPort}`;
const gatewayUrl = `http://${block}.3:18080`;
const procs: Proc[] = [];
let upstream: Upstream | undefined;

const gatewayConnection = async (): Promise<string | undefined> =>
  (await syncz(base)).find((p) => p.id.startsWith(`router~${block}.2~`))?.connectionId;

beforeAll(async () => {
  upstream = await startUpstream('v1', `${block}.20`);
  procs.push(startControlPlane(cp));
  await waitHttp(`${base}/ready`);
  await register(base, [[upstream, 'v1']]);
  const applied = await applyConfig(base, [GATEWAY, DESTINATION_RULE, virtualService(100)]);
  if (applied.status >= 300) throw new Error(`apply: ${applied.status} ${applied.body}`);
  procs.push(startGateway({ block, xds: `${cp.host}:${cp.xdsPort}`, publishPort: 18080 }));
  await waitHttp(`http://${block}.2:15021/healthz/ready`);
  await waitHttp(`${gatewayUrl}/web/warm`);
}, 30_000);

afterAll(async () => {
  await stopAll(procs);
  await upstream?.close();
  state.remove();
});

it('keeps serving through a control-plane restart and reconnects to the new control plane', async () => {
  if (!upstream) throw new Error('upstream not started');
  const before = await gatewayConnection();
  expect(before).toBeDefined();
  const load = startLoad(`${gatewayUrl}/web/restart`, 100);
  await sleep(1500);

  const first = procs[0];
  if (!first) throw new Error('control plane not started');
  expect(await stop(first, 5000)).toBe(0);
  await sleep(1000);
  const second = startControlPlane(cp);
  procs.push(second);
  await waitHttp(`${base}/ready`);

  // The registry lives in the control plane; an orchestrator would re-register what was lost.
  const services = JSON.parse((await api(base, 'GET', '/api/v1/registry/services')).body) as { items: unknown[] };
  const registryKept = services.items.length > 0;
  if (!registryKept) await register(base, [[upstream, 'v1']]);

  await until(async () => {
    const now = await gatewayConnection();
    return now !== undefined && now !== before;
  }, 15_000, 'the gateway in /debug/syncz of the new control plane');
  const status = (await syncz(base)).find((p) => p.id.startsWith(`router~${block}.2~`));
  await until(async () => {
    const s = (await syncz(base)).find((p) => p.id.startsWith(`router~${block}.2~`));
    return s !== undefined && Object.values(s.types).every((t) => t.status === 'SYNCED');
  }, 10_000, 'the gateway SYNCED with the new control plane');
  expect(status?.proxy.workloadName).toBe('istio-ingressgateway-int');

  await sleep(1500);
  const result = await load.stop();
  expect({ failed: result.failures.length, first: result.failures.slice(0, 5), registryKept }).toEqual({ failed: 0, first: [], registryKept });
  // The registry survives the restart (state dir), so nobody has to re-register anything.
  expect(registryKept).toBe(true);
  expect(result.sent).toBeGreaterThan(400);
  expect(new Set(result.bodies)).toEqual(new Set(['v1']));
}, 30_000);
