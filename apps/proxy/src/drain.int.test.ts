/**
 * SIGTERM drains the proxy process: readiness turns 503, the in-flight request completes, then the
 * process exits 0 within its drain time. With a terminationDrainDuration (Istio's, in a pod: 5 s by
 * default; here the pod's proxy.istio.io/config) it keeps serving new connections for that long first.
 */
import {
  DESTINATION_RULE,
  GATEWAY,
  applyConfig,
  randomBlock,
  register,
  sleep,
  startControlPlane,
  startGateway,
  startUpstream,
  stopAll,
  tmpStateDir,
  virtualService,
  waitHttp,
  type Proc,
  type Upstream,
} from './testing/harness';

const DRAIN_MS = 4000;
const block = randomBlock();
const state = tmpStateDir();
const cp = { host: `${block}.1`, xdsPort: 15010, httpPort: 15014, stateDir: state.dir };
const base = `http://${cp.host}:${cp.httpPort}`;
const gatewayUrl = `http://${block}.3:18080`;
const procs: Proc[] = [];
let upstream: Upstream | undefined;

beforeAll(async () => {
  upstream = await startUpstream('v1', `${block}.20`);
  procs.push(startControlPlane(cp));
  await waitHttp(`${base}/ready`);
  await register(base, [[upstream, 'v1']]);
  const applied = await applyConfig(base, [GATEWAY, DESTINATION_RULE, virtualService(100)]);
  if (applied.status >= 300) throw new Error(`apply: ${applied.status} ${applied.body}`);
}, 30_000);

afterAll(async () => {
  await stopAll(procs);
  await upstream?.close();
  state.remove();
});

it('completes the in-flight request, then exits 0 within the drain time', async () => {
  const gateway = startGateway({ block, xds: `${cp.host}:${cp.xdsPort}`, publishPort: 18080, drainMs: DRAIN_MS });
  procs.push(gateway);
  const exit = gateway.exited.then((code) => ({ code, at: Date.now() }));
  await waitHttp(`http://${block}.2:15021/healthz/ready`);
  await waitHttp(`${gatewayUrl}/web/warm`);

  const slow = fetch(`${gatewayUrl}/web/slow?ms=1500`, { signal: AbortSignal.timeout(10_000) }).then(async (res) => ({ status: res.status, body: await res.text(), at: Date.now() }));
  await sleep(300);
  const signalled = Date.now();
  gateway.child.kill('SIGTERM');
  await sleep(200);

  // Draining: not ready any more, and the listener takes no new connections.
  const ready = await fetch(`http://${block}.2:15021/healthz/ready`, { signal: AbortSignal.timeout(2000) });
  expect(ready.status).toBe(503);
  await expect(fetch(`${gatewayUrl}/web/new`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();

  const response = await slow;
  expect({ status: response.status, body: response.body }).toEqual({ status: 200, body: 'v1' });
  const { code, at } = await exit;
  expect(code).toBe(0);
  // The response came back before the process went away, and the process did not need the whole drain time.
  expect(response.at).toBeLessThanOrEqual(at);
  expect(at - signalled).toBeLessThan(DRAIN_MS);
}, 30_000);

it('with terminationDrainDuration keeps accepting, answers connection: close, then exits after the period', async () => {
  const TERMINATION_MS = 2000;
  const gateway = startGateway({ block, xds: `${cp.host}:${cp.xdsPort}`, publishPort: 18080, drainMs: 1000, env: { PROXY_CONFIG: JSON.stringify({ terminationDrainDuration: '2s' }) } });
  procs.push(gateway);
  const exit = gateway.exited.then((code) => ({ code, at: Date.now() }));
  await waitHttp(`http://${block}.2:15021/healthz/ready`);
  await waitHttp(`${gatewayUrl}/web/warm`);

  const signalled = Date.now();
  gateway.child.kill('SIGTERM');
  await sleep(300);
  const ready = await fetch(`http://${block}.2:15021/healthz/ready`, { signal: AbortSignal.timeout(2000) });
  expect(ready.status).toBe(503);
  // A client that has not yet seen the endpoint go (kube-proxy, a peer's EDS) is still served, told to reconnect.
  for (const wait of [0, 800]) {
    await sleep(wait);
    const res = await fetch(`${gatewayUrl}/web/during-drain`, { signal: AbortSignal.timeout(2000) });
    expect({ status: res.status, body: await res.text(), connection: res.headers.get('connection') }).toEqual({ status: 200, body: 'v1', connection: 'close' });
  }
  const { code, at } = await exit;
  expect(code).toBe(0);
  expect(at - signalled).toBeGreaterThanOrEqual(TERMINATION_MS);
  expect(at - signalled).toBeLessThan(TERMINATION_MS + 1000 + 1500);
  await expect(fetch(`${gatewayUrl}/web/after`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
}, 30_000);
