import type { PeerAuthentication } from '../types';
import { labelsMatch } from '../match/labels';

/**
 * The one rule for "which PeerAuthentication applies to a workload, and what mTLS mode does it
 * enforce", as istiod computes it (`pilot/pkg/model/authentication.go` GetPeerAuthenticationsForWorkload,
 * `pilot/pkg/security/authn/policy_applier.go` composePeerAuthentication). The translator builds the
 * inbound chains from it, `trellis x describe pod` prints it, `trellis analyze` checks clients against it.
 *
 * - candidates: the workload namespace's policies whose selector matches the workload's labels (no
 *   selector = the namespace policy), then the root namespace's;
 * - one policy per level, the oldest (creation time, then namespace/name) winning: mesh (root namespace,
 *   no selector), namespace (no selector), workload (a selector, not in the root namespace — Istio
 *   ignores selector policies in the root namespace);
 * - mode: PERMISSIVE, overridden by mesh, then namespace, then workload, each only when not UNSET;
 * - `portLevelMtls` is read from the workload policy only (an UNSET port inherits the workload mode);
 *   Istio's webhook rejects it elsewhere and istiod ignores it.
 */

/** What a workload port enforces (Istio's MutualTLSMode without `UNKNOWN`). */
export type MtlsMode = 'DISABLE' | 'PERMISSIVE' | 'STRICT';

export const DEFAULT_MTLS_MODE: MtlsMode = 'PERMISSIVE';
export const DEFAULT_ROOT_NAMESPACE = 'istio-system';

export interface PeerAuthenticationTarget {
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface EffectivePeerAuthentication {
  /** The workload-level mode (what `istioctl x describe` prints as `Workload mTLS mode`). */
  readonly mode: MtlsMode;
  /** Port-level overrides from the workload policy, by workload (target) port, UNSET resolved. */
  readonly ports: ReadonlyMap<number, MtlsMode>;
  /** Every policy selecting the workload, in Istio's order (its namespace, then the root namespace). */
  readonly applied: readonly PeerAuthentication[];
  /** The policies that decided, per level. */
  readonly mesh?: PeerAuthentication;
  readonly namespace?: PeerAuthentication;
  readonly workload?: PeerAuthentication;
}

type Mode = NonNullable<NonNullable<PeerAuthentication['spec']['mtls']>['mode']>;

const nsOf = (p: PeerAuthentication): string => p.metadata.namespace ?? 'default';

export function hasSelector(p: PeerAuthentication): boolean {
  return Object.keys(p.spec.selector?.matchLabels ?? {}).length > 0;
}

/** Creation time, then namespace/name: the order istiod keeps its config in. */
function older(a: PeerAuthentication, b: PeerAuthentication): boolean {
  const key = (p: PeerAuthentication): string => `${p.metadata.creationTimestamp ?? ''}\u0000${nsOf(p)}\u0000${p.metadata.name}`;
  const ta = Date.parse(a.metadata.creationTimestamp ?? '');
  const tb = Date.parse(b.metadata.creationTimestamp ?? '');
  if (!Number.isNaN(ta) && !Number.isNaN(tb) && ta !== tb) return ta < tb;
  return key(a) < key(b);
}

function oldest(policies: readonly PeerAuthentication[]): PeerAuthentication | undefined {
  let best: PeerAuthentication | undefined;
  for (const p of policies) if (best === undefined || older(p, best)) best = p;
  return best;
}

function set(mode: Mode | undefined): mode is MtlsMode {
  return mode !== undefined && mode !== 'UNSET';
}

/** Istio's candidate list: the workload namespace's matching policies, then the root namespace's. */
export function peerAuthenticationsFor(
  policies: readonly PeerAuthentication[],
  target: PeerAuthenticationTarget,
  rootNamespace = DEFAULT_ROOT_NAMESPACE,
): PeerAuthentication[] {
  const lookIn = target.namespace === rootNamespace ? [rootNamespace] : [target.namespace, rootNamespace];
  const byOrder = [...policies].sort((a, b) => (older(a, b) ? -1 : older(b, a) ? 1 : 0));
  return lookIn.flatMap((ns) => byOrder.filter((p) => nsOf(p) === ns && labelsMatch(p.spec.selector?.matchLabels, target.labels)));
}

function portModes(workload: PeerAuthentication | undefined, inherited: MtlsMode): Map<number, MtlsMode> {
  const ports = new Map<number, MtlsMode>();
  for (const [key, value] of Object.entries(workload?.spec.portLevelMtls ?? {})) {
    const port = Number(key);
    if (!Number.isInteger(port) || port <= 0) continue;
    ports.set(port, set(value.mode) ? value.mode : inherited);
  }
  return ports;
}

/** The effective PeerAuthentication of a workload (composePeerAuthentication). */
export function effectivePeerAuthentication(
  policies: readonly PeerAuthentication[],
  target: PeerAuthenticationTarget,
  rootNamespace = DEFAULT_ROOT_NAMESPACE,
): EffectivePeerAuthentication {
  const applied = peerAuthenticationsFor(policies, target, rootNamespace);
  const mesh = oldest(applied.filter((p) => !hasSelector(p) && nsOf(p) === rootNamespace));
  const namespace = oldest(applied.filter((p) => !hasSelector(p) && nsOf(p) !== rootNamespace));
  const workload = oldest(applied.filter((p) => hasSelector(p) && nsOf(p) !== rootNamespace));
  let mode = DEFAULT_MTLS_MODE;
  for (const level of [mesh, namespace, workload]) {
    const m = level?.spec.mtls?.mode;
    if (set(m)) mode = m;
  }
  return {
    mode,
    ports: portModes(workload, mode),
    applied,
    ...(mesh && { mesh }),
    ...(namespace && { namespace }),
    ...(workload && { workload }),
  };
}

/** The mode one workload port enforces: its port-level setting, else the workload mode. */
export function mtlsModeForPort(effective: EffectivePeerAuthentication, port: number): MtlsMode {
  return effective.ports.get(port) ?? effective.mode;
}

/**
 * The mode of a namespace as a whole (namespace policy over mesh policy): what istiod's
 * BestEffortInferServiceMTLSMode uses to decide whether auto mTLS may be used towards a service.
 */
export function namespaceMtlsMode(policies: readonly PeerAuthentication[], namespace: string, rootNamespace = DEFAULT_ROOT_NAMESPACE): MtlsMode {
  const levels = policies.filter((p) => !hasSelector(p) && (nsOf(p) === namespace || nsOf(p) === rootNamespace));
  const mesh = oldest(levels.filter((p) => nsOf(p) === rootNamespace));
  const ns = namespace === rootNamespace ? undefined : oldest(levels.filter((p) => nsOf(p) === namespace));
  let mode = DEFAULT_MTLS_MODE;
  for (const level of [mesh, ns]) {
    const m = level?.spec.mtls?.mode;
    if (set(m)) mode = m;
  }
  return mode;
}
