import { kubeApiError } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import { adminClient, createNamespace, eventually } from '../testing/kube-test-env';
import { LeaderElection } from './leader-election';
import type { Lease } from './lease';

const NS = 'leader-election';
const client = adminClient();
const FAST = { leaseDurationMs: 1000, renewDeadlineMs: 600, retryPeriodMs: 100 };
const path = (name: string): string => `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/${name}`;

const started: LeaderElection[] = [];

/** An elector whose work records when it runs (stopped after each test, also when the test failed). */
function elector(name: string, identity: string, events: string[], c: Pick<KubeClient, 'request'> = client, namespace = NS, timing: Partial<typeof FAST> = {}): LeaderElection {
  const election = new LeaderElection({ client: c, namespace, name, identity, ...FAST, ...timing }, async () => {
    events.push(`${identity} leads`);
    return async () => void events.push(`${identity} stops`);
  });
  started.push(election);
  return election;
}

beforeAll(() => createNamespace(client, NS));
afterEach(() => Promise.all(started.splice(0).map((e) => e.stop())));
afterAll(() => client.close());

describe('LeaderElection on a real API server (coordination.k8s.io/v1 Lease)', () => {
  it('one replica leads; when it stops it releases the lease and the other takes over at once', async () => {
    const events: string[] = [];
    // a 30 s lease: b can take over within 3 s only because a released it
    const slow = { leaseDurationMs: 30_000 };
    const a = await elector('gw', 'istiod-a', events, client, NS, slow).start();
    const b = await elector('gw', 'istiod-b', events, client, NS, slow).start();
    await new Promise((r) => setTimeout(r, 300)); // several rounds: b must keep following a live holder
    expect([a.leading, b.leading, events]).toEqual([true, false, ['istiod-a leads']]);
    const held = await client.request<Lease>('GET', path('gw'));
    expect(held.spec).toMatchObject({ holderIdentity: 'istiod-a', leaseDurationSeconds: 30, leaseTransitions: 0 });
    await a.stop();
    await eventually('b leading', () => (b.leading ? true : undefined), 3000);
    expect(events).toEqual(['istiod-a leads', 'istiod-a stops', 'istiod-b leads']);
    expect((await client.request<Lease>('GET', path('gw'))).spec).toMatchObject({ holderIdentity: 'istiod-b', leaseTransitions: 1 });
    await b.stop();
  });

  it('takes over from a holder that stopped renewing (crashed) after a lease duration', async () => {
    const stale = { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'crash', namespace: NS }, spec: { holderIdentity: 'istiod-gone', leaseDurationSeconds: 1, renewTime: '2026-01-01T00:00:00.000000Z' } };
    await client.request('POST', `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases`, { body: stale });
    const events: string[] = [];
    const started = Date.now();
    const c = await elector('crash', 'istiod-c', events).start();
    expect(c.leading).toBe(false); // its own clock decides: the holder may only look stale through skew
    await eventually('c leading', () => (c.leading ? true : undefined), 5000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(FAST.leaseDurationMs);
    await c.stop();
    expect(events).toEqual(['istiod-c leads', 'istiod-c stops']);
  });

  it('leads alone, and says why, without the right to use Leases (RBAC from before) or their namespace', async () => {
    const forbidden: Pick<KubeClient, 'request'> = {
      request: () => Promise.reject(kubeApiError('GET', '/apis/coordination.k8s.io/v1', 403, { kind: 'Status', reason: 'Forbidden', message: 'forbidden' })),
    };
    const events: string[] = [];
    const d = await elector('gw', 'istiod-d', events, forbidden).start();
    const e = await elector('gw', 'istiod-e', events, client, 'no-such-namespace').start();
    expect([d.leading, e.leading, events]).toEqual([true, true, ['istiod-d leads', 'istiod-e leads']]);
    await Promise.all([d.stop(), e.stop()]);
  });
});
