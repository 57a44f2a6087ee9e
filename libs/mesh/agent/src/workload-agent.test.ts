// The agent against a fake CA transport that signs with the real signing core, on manual time.
import { X509Certificate } from 'node:crypto';
import { CertificateAuthority, createCsr, EC_P256, generateKeyPair, generateSelfSignedRoot, loadKeyCertBundle, parseCsr } from '@trellis/mesh-ca';
import { SecretStore } from '@trellis/mesh-proxy';
import { silentLogger, type Logger } from '@trellis/shared';
import { backoffDelayMs, type BackoffPolicy } from './backoff';
import type { CaTransport, CertificateCall } from './ca-transport';
import { AgentErrorCode, agentError } from './errors';
import { checkIssued } from './issued-certificate';
import { FakeTimers, until } from './testing/fake-timers';
import { startWorkloadAgent, type WorkloadAgent } from './workload-agent';

const ID = 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews';
const T0 = Date.UTC(2030, 0, 2, 3, 4, 5);
const root = generateSelfSignedRoot({ trustDomain: 'cluster.local', now: T0 - 3600_000 });
const POLICY: BackoffPolicy = { initialMs: 500, multiplier: 2, maxMs: 4000, randomization: 0.5 };

type Outcome = 'sign' | 'down' | 'unauthenticated';

/** A CA transport answering per a script of outcomes (then signing), recording each call. */
function fakeCa(timers: FakeTimers, script: Outcome[] = []): CaTransport & { calls: CertificateCall[] } {
  const ca = new CertificateAuthority(loadKeyCertBundle(root, 'self-signed', T0), () => timers.now());
  const calls: CertificateCall[] = [];
  return {
    calls,
    createCertificate: async (call) => {
      calls.push(call);
      const outcome = script.shift() ?? 'sign';
      if (outcome === 'down') throw agentError(AgentErrorCode.caUnavailable, 'CA is unreachable', { reason: 'connect ECONNREFUSED' });
      if (outcome === 'unauthenticated') throw agentError(AgentErrorCode.caRejected, 'CA refused the certificate request', { grpcStatus: 'UNAUTHENTICATED' });
      const asked = parseCsr(call.csrPem).altNames.uris;
      return ca.sign({ csrPem: call.csrPem, identities: asked, ttlSeconds: call.validitySeconds });
    },
  };
}

function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const logger = silentLogger();
  const record = (level: string) => (obj: Record<string, unknown>, msg: string) => void lines.push({ level, ...obj, msg });
  const child = { info: record('info'), error: record('error'), warn: record('warn'), debug: record('debug'), child: () => child } as unknown as Logger;
  return { logger: Object.assign(Object.create(logger) as Logger, { child: () => child }), lines };
}

let agent: WorkloadAgent | undefined;
afterEach(() => agent?.close());

function start(timers: FakeTimers, ca: CaTransport, store: SecretStore, logger: Logger = silentLogger(), random = (): number => 0.5): WorkloadAgent {
  agent = startWorkloadAgent({ identity: ID, ca, token: async () => 'tok', secrets: store, logger, keyAlgorithm: EC_P256, ttlSeconds: 3600, graceRatio: 0.5, backoff: POLICY, timers, random });
  return agent;
}

describe('workload agent', () => {
  it('issues at once, installs ROOTCA then default, and schedules rotation at half the lifetime', async () => {
    const timers = new FakeTimers(T0);
    const store = new SecretStore(() => timers.now());
    const events: string[] = [];
    store.onChange((name) => events.push(name));
    const ca = fakeCa(timers);
    start(timers, ca, store);
    expect(timers.runNext()).toBe(0);
    await until(() => timers.scheduled === 1, 'rotation scheduled');
    expect(events).toEqual(['ROOTCA', 'default']);
    expect(ca.calls[0]).toMatchObject({ token: 'tok', validitySeconds: 3600 });
    const leaf = store.get('default');
    expect(leaf?.type === 'tls_certificate' && new X509Certificate(leaf.certificateChainPem).subjectAltName).toBe(`URI:${ID}`);
    expect(timers.delays).toEqual([0, 1800_000]);
  });

  it('rotates at the grace point with a new key and serial; the old pair stays until the new one is in', async () => {
    const timers = new FakeTimers(T0);
    const store = new SecretStore(() => timers.now());
    const ca = fakeCa(timers);
    const a = start(timers, ca, store);
    timers.runNext();
    await until(() => timers.scheduled === 1, 'first certificate');
    const first = store.get('default');
    expect(timers.runNext()).toBe(1800_000);
    // The rotation is in flight: the first certificate is still served.
    expect(store.get('default')).toBe(first);
    await until(() => timers.scheduled === 1, 'second certificate');
    const second = store.get('default');
    expect(second).not.toBe(first);
    expect(second?.type === 'tls_certificate' && first?.type === 'tls_certificate' && second.privateKeyPem !== first.privateKeyPem).toBe(true);
    expect(a.status().current?.serialNumber).toBe(new X509Certificate(second?.type === 'tls_certificate' ? second.certificateChainPem : '').serialNumber.toLowerCase());
    expect(timers.delays).toEqual([0, 1800_000, 1800_000]);
  });

  it('retries with back-off while the CA is down and keeps the previous certificate', async () => {
    const timers = new FakeTimers(T0);
    const store = new SecretStore(() => timers.now());
    const ca = fakeCa(timers, ['sign', 'down', 'down', 'down']);
    const { logger, lines } = recordingLogger();
    const a = start(timers, ca, store, logger);
    timers.runNext();
    await until(() => timers.scheduled === 1, 'first certificate');
    const first = store.get('default');
    timers.runNext();
    for (let n = 1; n <= 3; n++) {
      await until(() => a.status().failures === n && timers.scheduled === 1, `failure ${n}`);
      expect(store.get('default')).toBe(first);
      if (n < 3) timers.runNext();
    }
    expect(timers.delays.slice(2)).toEqual([1, 2, 3].map((n) => backoffDelayMs(POLICY, n, () => 0.5)));
    expect(timers.delays.slice(2)).toEqual([500, 1000, 2000]);
    expect(lines.filter((l) => l['level'] === 'error').map((l) => l['code'])).toEqual(Array(3).fill('AGENT_CA_UNAVAILABLE'));
    expect(lines.find((l) => l['level'] === 'error')?.['keeping']).toBe(a.status().current?.serialNumber);
    timers.runNext();
    await until(() => a.status().failures === 0, 'recovered');
    expect(store.get('default')).not.toBe(first);
  });

  it('a refused token leaves the store empty, says why and keeps retrying', async () => {
    const timers = new FakeTimers(T0);
    const store = new SecretStore(() => timers.now());
    const ca = fakeCa(timers, ['unauthenticated', 'unauthenticated']);
    const { logger, lines } = recordingLogger();
    const a = start(timers, ca, store, logger);
    timers.runNext();
    await until(() => a.status().failures === 1, 'first refusal');
    expect(store.list()).toEqual([]);
    expect(a.status().lastError?.code).toBe('AGENT_CA_REJECTED');
    expect(lines[0]).toMatchObject({ level: 'error', code: 'AGENT_CA_REJECTED', grpcStatus: 'UNAUTHENTICATED', keeping: 'none' });
    expect(String(lines[0]?.['msg'])).toMatch(/^failed to generate workload certificate: CA refused/);
    expect(timers.scheduled).toBe(1);
  });

  it('refuses a chain that is not for its key or not for its identity (the CA decides; the agent checks)', async () => {
    const timers = new FakeTimers(T0);
    const store = new SecretStore(() => timers.now());
    const ca = new CertificateAuthority(loadKeyCertBundle(root, 'self-signed', T0), () => timers.now());
    const otherKey = generateKeyPair(EC_P256).privateKey;
    const swapped: CaTransport = { createCertificate: async () => ca.sign({ csrPem: createCsr(otherKey, { uris: [ID] }), identities: [ID], ttlSeconds: 60 }) };
    const a = start(timers, swapped, store);
    timers.runNext();
    await until(() => a.status().failures === 1, 'refusal');
    expect(a.status().lastError).toMatchObject({ code: 'AGENT_BAD_CERTIFICATE' });
    expect(store.list()).toEqual([]);
    const other = ca.sign({ csrPem: createCsr(otherKey, {}), identities: ['spiffe://cluster.local/ns/x/sa/y'], ttlSeconds: 60 });
    expect(() => checkIssued(other, ID, otherKey)).toThrow(expect.objectContaining({ code: 'AGENT_BAD_CERTIFICATE', context: expect.objectContaining({ reason: 'leaf SANs are URI:spiffe://cluster.local/ns/x/sa/y' }) }));
    expect(() => checkIssued([], ID, otherKey)).toThrow(expect.objectContaining({ code: 'AGENT_BAD_CERTIFICATE' }));
  });
});
