import { TrellisError } from '@trellis/shared';
import type { LocalPodRecord } from '@trellis/mesh-local';

export const EXEC_USAGE = 'EXEC_USAGE';
export const EXEC_NOT_FOUND = 'EXEC_NOT_FOUND';
export const EXEC_CONTAINER_NOT_FOUND = 'EXEC_CONTAINER_NOT_FOUND';

/** What `trellis x exec <target>` names: a pod, a Deployment, or (bare name) a pod else a Deployment. */
export interface ExecTarget {
  readonly kind: 'pod' | 'deployment' | 'any';
  readonly name: string;
}

const KINDS: Readonly<Record<string, ExecTarget['kind']>> = {
  pod: 'pod',
  pods: 'pod',
  po: 'pod',
  deploy: 'deployment',
  deployment: 'deployment',
  deployments: 'deployment',
  'deployment.apps': 'deployment',
  'deployments.apps': 'deployment',
};

/** kubectl's forms: `sleep-…-abcde`, `pod/<name>`, `deploy/sleep`, `deployment/sleep`; a bare name may be either. */
export function parseExecTarget(arg: string): ExecTarget {
  const slash = arg.indexOf('/');
  if (slash < 0) {
    if (arg.trim() === '') throw new TrellisError(EXEC_USAGE, 'a pod or deployment is required: trellis x exec <pod|deploy/name> -- <command> [args…]');
    return { kind: 'any', name: arg };
  }
  const kind = KINDS[arg.slice(0, slash).toLowerCase()];
  const name = arg.slice(slash + 1);
  if (kind === undefined || name === '' || name.includes('/')) {
    throw new TrellisError(EXEC_USAGE, `cannot exec into "${arg}": expected <pod>, pod/<name> or deploy/<name>`);
  }
  return { kind, name };
}

/** The pod to run in: the named pod, or the Deployment's first pod (as kubectl picks one), in `namespace`. */
export function selectPod(pods: readonly LocalPodRecord[], target: ExecTarget, namespace: string): LocalPodRecord {
  const inNs = pods.filter((p) => p.namespace === namespace);
  const byPod = target.kind === 'deployment' ? undefined : inNs.find((p) => p.name === target.name);
  const pod = byPod ?? (target.kind === 'pod' ? undefined : inNs.find((p) => p.deployment === target.name));
  if (pod === undefined) {
    const what = target.kind === 'deployment' ? `deployments.apps "${target.name}"` : `pods "${target.name}"`;
    throw new TrellisError(EXEC_NOT_FOUND, `${what} not found in namespace ${namespace}`, { name: target.name, namespace });
  }
  return pod;
}

/** `-c`: the pod's container, or `istio-proxy` when it has a sidecar (which runs only `pilot-agent request`: sidecar-exec.ts). */
export function checkContainer(pod: LocalPodRecord, container: string | undefined): void {
  if (container === undefined || container === pod.container || (container === 'istio-proxy' && pod.sidecar)) return;
  const has = pod.sidecar ? `${pod.container} istio-proxy` : pod.container;
  throw new TrellisError(EXEC_CONTAINER_NOT_FOUND, `container ${container} is not valid for pod ${pod.name}: it has ${has}`, { container, pod: pod.name });
}

/** The command after `--`; kubectl's message when there is none. */
export function execCommand(args: readonly string[]): [string, ...string[]] {
  const [first, ...rest] = args;
  if (first === undefined || first === '') throw new TrellisError(EXEC_USAGE, 'you must specify at least one command for the container: trellis x exec <pod> -- <command> [args…]');
  return [first, ...rest];
}
