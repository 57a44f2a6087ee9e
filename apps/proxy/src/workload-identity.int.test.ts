/**
 * The workload-identity agent against the real control plane's CA (local mode: 15012 next to xDS
 * 15010 on the control plane's address): the gateway gets a certificate for its ServiceAccount's
 * SPIFFE identity, renews it under a short SECRET_TTL while traffic flows without one failure, keeps
 * it while the CA is away and renews once it is back; a forged token gets no certificate.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createCaTransport, fileRootSource } from '@trellis/mesh-agent';
import { createCsr, EC_P256, generateKeyPair, issueLocalToken } from '@trellis/mesh-ca';
import { DESTINATION_RULE, GATEWAY, ROOT, applyConfig, randomBlock, register, sleep, startControlPlane, startLoad, startUpstream, stop, stopAll, tmpStateDir, until, virtualService, waitHttp, type Proc, type Upstream } from './testing/harness';

const block = randomBlock();
const state = tmpStateDir();
const cp = { host: `${block}.1`, xdsPort: 15010, httpPort: 15014, stateDir: state.dir };
const base = `http://${cp.host}:${cp.httpPort}`;
const GATEWAY_ID = 'spiffe://cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account';
const rootFile = path.join(state.dir, 'ca', 'ca-cert.pem');
const procs: Proc[] = [];
let upstream: Upstream | undefined;
let gatewayLogs: () => Array<Record<string, unknown>> = () => [];

interface CertDetails {
  serial_number: string;
  subject_alt_names: Array<{ uri?: string }>;
}

const certs = async (ip: string): Promise<Array<{ ca_cert: CertDetails[]; cert_chain: CertDetails[] }>> =>
  ((await (await fetch(`http://${ip}:15000/certs`)).json()) as { certificates: Array<{ ca_cert: CertDetails[]; cert_chain: CertDetails[] }> }).certificates;
const leafSerial = async (ip: string): Promise<string | undefined> => (await certs(ip))[0]?.cert_chain[0]?.serial_number;

function tokenFile(name: string, token: string): string {
  const file = path.join(state.dir, `${name}.token`);
  writeFileSync(file, token, { mode: 0o600 });
  return file;
}

const localToken = (ns: string, sa: string): string => issueLocalToken(Buffer.from(readFileSync(path.join(state.dir, 'workload-token.key'), 'utf8'), 'base64'), ns, sa);

/** A built proxy with its JSON log lines kept (the agent logs on stdout, as every process). */
function startProxy(name: string, ip: string, args: readonly string[]): { proc: Proc; logs: () => Array<Record<string, unknown>> } {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/apps/proxy/main.js'), '--xds-address', `${cp.host}:${cp.xdsPort}`, '--ip', ip, '--interception', 'NONE', '--ops-bind', 'instance-ip', '--drain-ms', '500', '--ca-address', `${cp.host}:15012`, '--ca-root-cert', rootFile, ...args], {
    env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err = (err + c).slice(-8000)));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')));
  const proc: Proc = { name, child, stderr: () => err, exited };
  procs.push(proc);
  const logs = (): Array<Record<string, unknown>> => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { proc, logs };
}

beforeAll(async () => {
  upstream = await startUpstream('v1', `${block}.20`);
  procs.push(startControlPlane(cp));
  await waitHttp(`${base}/ready`);
  await register(base, [[upstream, 'v1']]);
  const applied = await applyConfig(base, [GATEWAY, DESTINATION_RULE, virtualService(100)]);
  if (applied.status >= 300) throw new Error(`apply: ${applied.status} ${applied.body}`);
  const token = tokenFile('gateway', localToken('istio-system', 'istio-ingressgateway-service-account'));
  const gw = startProxy('gateway', `${block}.2`, ['--mode', 'router', '--pod-name', 'istio-ingressgateway-int', '--namespace', 'istio-system', '--service-account', 'istio-ingressgateway-service-account', '--labels', 'istio=ingressgateway,app=istio-ingressgateway', '--publish', `8080=${block}.3:18080`, '--token-file', token, '--workload-cert-ttl', '4s', '--ecc-signature-algorithm', 'ECDSA']);
  gatewayLogs = gw.logs;
  await waitHttp(`http://${block}.2:15021/healthz/ready`);
  await waitHttp(`http://${block}.3:18080/web/warm`);
}, 30_000);

afterAll(async () => {
  await stopAll(procs);
  await upstream?.close();
  state.remove();
});

it("issues the gateway a certificate for its ServiceAccount's SPIFFE identity, with the CA's root as ROOTCA", async () => {
  await until(async () => (await leafSerial(`${block}.2`)) !== undefined, 10_000, 'a workload certificate');
  const [entry] = await certs(`${block}.2`);
  expect(entry?.cert_chain[0]?.subject_alt_names).toEqual([{ uri: GATEWAY_ID }]);
  expect(entry?.ca_cert).toHaveLength(1);
  const generated = gatewayLogs().find((l) => l['msg'] === 'generated new workload certificate');
  expect(generated).toMatchObject({ identity: GATEWAY_ID, resource: 'default' });
});

it('renews at half of a 4 s lifetime while requests keep flowing, with zero failures', async () => {
  const load = startLoad(`http://${block}.3:18080/web/rotate`, 100);
  const serials = new Set<string>();
  const deadline = Date.now() + 9000;
  while (Date.now() < deadline && serials.size < 4) {
    const s = await leafSerial(`${block}.2`);
    if (s !== undefined) serials.add(s);
    await sleep(50);
  }
  const result = await load.stop();
  expect(serials.size).toBeGreaterThanOrEqual(3);
  expect({ failed: result.failures.length, first: result.failures.slice(0, 3) }).toEqual({ failed: 0, first: [] });
  expect(result.sent).toBeGreaterThan(300);
  // Each rotation is scheduled at half of the certificate's remaining lifetime (ratio 0.5, jitter ±0.01),
  // checked against the TTL logged with it rather than the clock: a loaded machine shortens the TTL left.
  const logs = gatewayLogs();
  const pairs = logs.flatMap((l, i) =>
    l['msg'] === 'scheduled certificate for rotation' && logs[i - 1]?.['msg'] === 'generated new workload certificate' ? [[Number(l['delayMs']), Number(logs[i - 1]?.['ttlMs'])] as const] : [],
  );
  expect(pairs.length).toBeGreaterThanOrEqual(3);
  for (const [delayMs, ttlMs] of pairs) expect({ ttlMs, off: Math.abs(delayMs - ttlMs * 0.5) <= ttlMs * 0.01 + 1 }).toEqual({ ttlMs, off: true });
}, 20_000);

it('keeps the certificate while the CA is down, retries with back-off, and renews when it is back', async () => {
  const cpProc = procs[0];
  if (!cpProc) throw new Error('no control plane');
  expect(await stop(cpProc, 5000)).toBe(0);
  const kept = await leafSerial(`${block}.2`);
  await until(() => gatewayLogs().filter((l) => l['code'] === 'AGENT_CA_UNAVAILABLE').length >= 2, 15_000, 'two failed attempts');
  expect(await leafSerial(`${block}.2`)).toBe(kept);
  const failure = gatewayLogs().find((l) => l['code'] === 'AGENT_CA_UNAVAILABLE');
  expect(failure).toMatchObject({ level: 50, keeping: kept });
  procs[0] = startControlPlane(cp);
  await waitHttp(`${base}/ready`);
  await until(async () => (await leafSerial(`${block}.2`)) !== kept, 20_000, 'a renewed certificate after the CA is back');
}, 45_000);

it('a forged token gets no certificate and a clear error', async () => {
  const forged = tokenFile('forged', issueLocalToken(Buffer.alloc(32, 7), 'default', 'bookinfo-reviews'));
  const sidecar = startProxy('forged-sidecar', `${block}.30`, ['--mode', 'sidecar', '--pod-name', 'forged', '--namespace', 'default', '--service-account', 'bookinfo-reviews', '--token-file', forged]);
  await until(() => sidecar.logs().some((l) => l['code'] === 'AGENT_CA_REJECTED'), 15_000, 'the refusal in the log');
  const refusal = sidecar.logs().find((l) => l['code'] === 'AGENT_CA_REJECTED');
  expect(refusal).toMatchObject({ grpcStatus: 'UNAUTHENTICATED', keeping: 'none' });
  expect(String(refusal?.['details'])).toMatch(/CA_UNAUTHENTICATED/);
  expect(await certs(`${block}.30`)).toEqual([]);
}, 20_000);

it('measures the key + CSR + CreateCertificate round trip against the control plane', async () => {
  const ca = createCaTransport({ address: `${cp.host}:15012`, rootPem: fileRootSource(rootFile) });
  const token = localToken('default', 'bench');
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const key = generateKeyPair(EC_P256);
    await ca.createCertificate({ csrPem: createCsr(key.privateKey, { uris: ['spiffe://cluster.local/ns/default/sa/bench'] }), token, validitySeconds: 3600, deadlineMs: 5000 });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  process.stdout.write(`CSR+sign round trip (EC P-256, new TLS session each): median ${times[5]?.toFixed(1)} ms, max ${times[9]?.toFixed(1)} ms\n`);
  expect(times[5]).toBeLessThan(500);
});
