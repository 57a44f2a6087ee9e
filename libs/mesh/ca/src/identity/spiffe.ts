import { CaErrorCode, caError } from '../errors';

/** Istio's default trust domain (`meshConfig.trustDomain`). */
export const DEFAULT_TRUST_DOMAIN = 'cluster.local';
export const SPIFFE_PREFIX = 'spiffe://';

/** A workload identity: the Kubernetes ServiceAccount a workload runs as, in a trust domain. */
export interface WorkloadIdentity {
  readonly trustDomain: string;
  readonly namespace: string;
  readonly serviceAccount: string;
}

const SEGMENT = /^[A-Za-z0-9._-]+$/;

function checkSegment(what: string, value: string, id: string): void {
  if (!SEGMENT.test(value)) throw caError(CaErrorCode.badSpiffeId, 'SPIFFE ID segment is empty or has characters outside [A-Za-z0-9._-]', { id, segment: what, value });
}

/** `spiffe://<trustDomain>/ns/<ns>/sa/<sa>` (Istio's pkg/spiffe). */
export function spiffeId(trustDomain: string, namespace: string, serviceAccount: string): string {
  const id = `${SPIFFE_PREFIX}${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
  checkSegment('trustDomain', trustDomain, id);
  checkSegment('namespace', namespace, id);
  checkSegment('serviceAccount', serviceAccount, id);
  return id;
}

export function identityUri(identity: WorkloadIdentity): string {
  return spiffeId(identity.trustDomain, identity.namespace, identity.serviceAccount);
}

/** The inverse of `spiffeId`; throws `CA_BAD_SPIFFE_ID` for anything else. */
export function parseSpiffeId(id: string): WorkloadIdentity {
  if (!id.startsWith(SPIFFE_PREFIX)) throw caError(CaErrorCode.badSpiffeId, 'SPIFFE ID does not start with spiffe://', { id });
  const parts = id.slice(SPIFFE_PREFIX.length).split('/');
  if (parts.length !== 5 || parts[1] !== 'ns' || parts[3] !== 'sa') {
    throw caError(CaErrorCode.badSpiffeId, 'SPIFFE ID is not spiffe://<trust domain>/ns/<namespace>/sa/<service account>', { id });
  }
  const [trustDomain, , namespace, , serviceAccount] = parts as [string, string, string, string, string];
  spiffeId(trustDomain, namespace, serviceAccount);
  return { trustDomain, namespace, serviceAccount };
}
