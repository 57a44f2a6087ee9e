/**
 * A coordination.k8s.io/v1 Lease as leader election uses it (client-go's LeaseLock), and the one
 * decision an elector makes each round. Pure: the caller reads the Lease, asks what to do, writes.
 */
export interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** What was last seen of a Lease, and when (local clock: a holder's clock is never trusted, as client-go). */
export interface Observed {
  /** holderIdentity + renewTime as read; a change means the holder is alive. */
  record: string;
  atMs: number;
}

/** istiod's Lease for its Gateway deployment controller (revision `default`). */
export const GATEWAY_DEPLOYMENT_LEASE = 'istio-gateway-deployment-default';

export type LeaseAction = 'create' | 'renew' | 'acquire' | 'follow';

export const observedRecord = (lease: Lease): string => `${lease.spec.holderIdentity ?? ''}@${lease.spec.renewTime ?? ''}`;

/**
 * create: no Lease yet. renew: this identity holds it. acquire: released (no holder) or its holder
 * has not renewed for a whole lease duration since this elector saw it change. follow: someone
 * else holds it.
 */
export function leaseAction(lease: Lease | undefined, identity: string, observed: Observed | undefined, nowMs: number, leaseDurationMs: number): LeaseAction {
  if (lease === undefined) return 'create';
  const holder = lease.spec.holderIdentity ?? '';
  if (holder === identity) return 'renew';
  if (holder === '') return 'acquire';
  const seenSince = observed !== undefined && observed.record === observedRecord(lease) ? observed.atMs : nowMs;
  return nowMs - seenSince >= leaseDurationMs ? 'acquire' : 'follow';
}

/** Kubernetes' MicroTime: RFC 3339 with six fractional digits. */
export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** The Lease to write for `action` (renew/acquire keep resourceVersion: a concurrent writer gets 409). */
export function nextLease(current: Lease | undefined, ref: { namespace: string; name: string }, identity: string, action: Exclude<LeaseAction, 'follow'>, nowMs: number, leaseDurationMs: number): Lease {
  const now = microTime(nowMs);
  const transitions = current?.spec.leaseTransitions ?? 0;
  const spec: Lease['spec'] = {
    holderIdentity: identity,
    leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
    acquireTime: action === 'renew' ? (current?.spec.acquireTime ?? now) : now,
    renewTime: now,
    leaseTransitions: action === 'acquire' ? transitions + 1 : transitions,
  };
  const metadata = { name: ref.name, namespace: ref.namespace, ...(current?.metadata.resourceVersion !== undefined ? { resourceVersion: current.metadata.resourceVersion } : {}) };
  return { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata, spec };
}

/** What a leader that stops writes: no holder, so a follower acquires at once (client-go's ReleaseOnCancel). */
export function releasedLease(current: Lease, nowMs: number): Lease {
  return { ...current, spec: { ...current.spec, holderIdentity: '', renewTime: microTime(nowMs), leaseDurationSeconds: 1 } };
}
