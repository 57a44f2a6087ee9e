import { leaseAction, microTime, nextLease, observedRecord, releasedLease, type Lease } from './lease';

const REF = { namespace: 'istio-system', name: 'istio-gateway-deployment-default' };
const lease = (holder: string, renewTime = '2026-12-07T10:00:00.000000Z'): Lease => ({
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { ...REF, resourceVersion: '7' },
  spec: { holderIdentity: holder, leaseDurationSeconds: 30, acquireTime: '2026-12-07T09:00:00.000000Z', renewTime, leaseTransitions: 2 },
});

describe('leaseAction', () => {
  it('creates a missing lease, renews its own, acquires a released one', () => {
    expect(leaseAction(undefined, 'a', undefined, 0, 30_000)).toBe('create');
    expect(leaseAction(lease('a'), 'a', undefined, 0, 30_000)).toBe('renew');
    expect(leaseAction(lease(''), 'a', undefined, 0, 30_000)).toBe('acquire');
  });

  it("takes another holder's lease only after it saw no renewal for a whole duration, by its own clock", () => {
    const held = lease('b');
    expect(leaseAction(held, 'a', undefined, 1_000_000, 30_000)).toBe('follow'); // first sight: wait a duration
    const seen = { record: observedRecord(held), atMs: 1_000_000 };
    expect(leaseAction(held, 'a', seen, 1_029_999, 30_000)).toBe('follow');
    expect(leaseAction(held, 'a', seen, 1_030_000, 30_000)).toBe('acquire');
    // the holder renewed: a new record, so the wait starts again
    expect(leaseAction(lease('b', '2026-12-07T10:00:10.000000Z'), 'a', seen, 1_040_000, 30_000)).toBe('follow');
  });
});

describe('nextLease', () => {
  it('writes MicroTime with six fractional digits', () => {
    expect(microTime(Date.parse('2026-12-07T10:00:00.123Z'))).toBe('2026-12-07T10:00:00.123000Z');
  });

  it('keeps acquireTime and transitions on renew, counts a transition on acquire, keeps resourceVersion', () => {
    const now = Date.parse('2026-12-07T10:00:05Z');
    expect(nextLease(lease('a'), REF, 'a', 'renew', now, 30_000)).toEqual({
      ...lease('a'),
      spec: { holderIdentity: 'a', leaseDurationSeconds: 30, acquireTime: '2026-12-07T09:00:00.000000Z', renewTime: '2026-12-07T10:00:05.000000Z', leaseTransitions: 2 },
    });
    expect(nextLease(lease('b'), REF, 'a', 'acquire', now, 30_000).spec).toMatchObject({ holderIdentity: 'a', acquireTime: '2026-12-07T10:00:05.000000Z', leaseTransitions: 3 });
    expect(nextLease(undefined, REF, 'a', 'create', now, 15_500)).toEqual({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: REF,
      spec: { holderIdentity: 'a', leaseDurationSeconds: 16, acquireTime: '2026-12-07T10:00:05.000000Z', renewTime: '2026-12-07T10:00:05.000000Z', leaseTransitions: 0 },
    });
  });

  it('releases by clearing the holder', () => {
    expect(releasedLease(lease('a'), 0).spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1, leaseTransitions: 2 });
  });
});
