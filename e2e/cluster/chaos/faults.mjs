// The cluster faults of issue #23 (scenarios 3, 4 and 7), each as a user types it with kubectl. A fault
// resolves when Kubernetes says it is over (the replacement Ready, `rollout status` done) and then
// waits until the old pods are gone, so the load covers their whole termination — at most CHAOS_GONE_CAP_MS
// (the kubelet's "container terminated" status can lag the proxy's exit by a minute on a loaded node).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** kubectl ARGS…: stdout; a failure names the command and its stderr. */
export async function kubectl(...args) {
  try {
    return (await run('kubectl', args, { timeout: 200_000, maxBuffer: 8 << 20 })).stdout.trim();
  } catch (err) {
    throw new Error(`kubectl ${args.join(' ')}: ${String(err.stderr || err.message).trim()}`);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Names of the pods matching SELECTOR in NS (terminating ones included). */
export async function podNames(ns, selector) {
  const out = await kubectl('-n', ns, 'get', 'pods', '-l', selector, '-o', 'jsonpath={.items[*].metadata.name}');
  return out.split(/\s+/).filter(Boolean);
}

/** Ready pods matching SELECTOR that are not being deleted. */
export async function readyPods(ns, selector) {
  const out = await kubectl('-n', ns, 'get', 'pods', '-l', selector, '-o',
    'jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp} {.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}');
  return out.split('\n').map((l) => l.trim().split(/\s+/)).filter((f) => f.length === 2 && f[1] === 'True').map((f) => f[0]);
}

/** Polls TEST every intervalMs (each poll is a process: kubectl costs CPU the load shares) until it holds. */
export async function until(what, budgetMs, test, intervalMs = 250) {
  const deadline = Date.now() + budgetMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${budgetMs / 1000} s`);
    await sleep(intervalMs);
  }
}

/**
 * Waits until every pod of OLD is gone or its istio-proxy container has exited (drained): from then on
 * the mesh no longer has it. (An app that ignores SIGTERM keeps its pod Terminating until the grace period.)
 * Gives up after capMs: a phrase for the row's note, saying which of the two happened.
 */
async function gone(ns, selector, old, started, capMs) {
  const since = Date.now();
  try {
    await until(`the proxies of ${old.join(', ')} exited`, capMs, async () => {
      const pods = JSON.parse(await kubectl('-n', ns, 'get', 'pods', '-l', selector, '-o', 'json')).items;
      return old.every((name) => {
        const pod = pods.find((p) => p.metadata.name === name);
        const proxy = pod?.status?.containerStatuses?.find((c) => c.name === 'istio-proxy');
        return pod === undefined || proxy?.state?.terminated !== undefined;
      });
    });
  } catch {
    return `old proxy not yet reported exited ${((Date.now() - since) / 1000).toFixed(1)} s later (capped)`;
  }
  return `old proxy exited after ${((Date.now() - started) / 1000).toFixed(1)} s`;
}

const goneCapMs = () => Number(process.env.CHAOS_GONE_CAP_MS ?? 120_000);

/**
 * @typedef {{ name: string, run: (mark: (what: string) => void) => Promise<{ recoveryMs: number, note: string }> }} Fault
 * mark(what) records the moment a step happened (ms since the fault began, by the caller's clock).
 */

/** Scenario 3: `kubectl delete pod` of a reviews-v2 pod; recovery = the replacement Ready. */
export const podDelete = (ns = 'default', selector = 'app=reviews,version=v2') => ({
  name: `kubectl delete pod (${selector})`,
  async run() {
    const [victim] = await readyPods(ns, selector);
    if (victim === undefined) throw new Error(`no Ready pod ${selector} in ${ns}`);
    const started = Date.now();
    await kubectl('-n', ns, 'delete', 'pod', victim, '--wait=false');
    await until(`a Ready replacement for ${victim}`, 180_000, async () => (await readyPods(ns, selector)).some((p) => p !== victim));
    const recoveryMs = Date.now() - started;
    return { recoveryMs, note: `recovery = delete → replacement Ready; ${victim}'s ${await gone(ns, selector, [victim], started, goneCapMs())}` };
  },
});

/** Scenario 4: `kubectl rollout restart` and `rollout status`; recovery = rollout complete. */
export const rolloutRestart = (ns, deployment, selector) => ({
  name: `kubectl rollout restart deployment/${deployment}${ns === 'default' ? '' : ` -n ${ns}`}`,
  async run() {
    const old = await podNames(ns, selector);
    const started = Date.now();
    await kubectl('-n', ns, 'rollout', 'restart', `deployment/${deployment}`);
    await kubectl('-n', ns, 'rollout', 'status', `deployment/${deployment}`, '--timeout=180s');
    const recoveryMs = Date.now() - started;
    return { recoveryMs, note: `recovery = restart → rollout status done; ${await gone(ns, selector, old, started, goneCapMs())}` };
  },
});

/** No fault: the same load for `ms`, what the machine gives (the table's first row). */
export const baselineFault = (ms) => ({
  name: 'baseline (no fault)',
  async run() {
    await sleep(ms);
    return { recoveryMs: NaN, note: 'the same load without a fault' };
  },
});

export const FAULTS = {
  'pod-delete': () => podDelete(),
  'rollout-reviews': () => rolloutRestart('default', 'reviews-v2', 'app=reviews,version=v2'),
  'rollout-gateway': () => rolloutRestart('istio-system', 'istio-ingressgateway', 'istio=ingressgateway'),
};
