// Scenario 7 with the Kubernetes store: the control plane (istiod) is killed while `kubectl apply -f` writes
// 12 objects. The API server keeps what kubectl wrote; the restarted istiod lists it and pushes all of it.
// In effect means: each VirtualService answers its host at the gateway, each DestinationRule's new subset is
// a cluster of the gateway (`trellis proxy-config clusters`), and every proxy is SYNCED again (`trellis
// proxy-status`). Kill: SIGKILL of istiod's container through the container runtime (`docker kill`, the
// kubelet restarts it) or, with CHAOS_ISTIOD_KILL=force-delete, `kubectl delete pod --grace-period=0 --force`.
import { execFile } from 'node:child_process';
import { request } from 'undici';
import { RUN_LABEL, VS_COUNT, applyList, bookinfoDestinationRules, chaosSubset, probeHost, probeStatus, ruleHosts } from './config-objects.mjs';
import { kubectl, readyPods, until } from './faults.mjs';

const NS = 'istio-system';
/** The CLI itself rather than `npx trellis`: each poll is a process whose CPU the load shares. */
const TRELLIS = new URL('../../../node_modules/.bin/trellis', import.meta.url).pathname;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** CMD ARGS… with INPUT on stdin: exit code and output, never a throw. */
function exec(cmd, args, input) {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout: String(stdout), stderr: String(stderr) }));
    child.stdin.end(input ?? '');
  });
}

/** istiod's pods: name, its container's restarts, Ready. */
async function istiodPods() {
  const pods = JSON.parse(await kubectl('-n', NS, 'get', 'pods', '-l', 'app=istiod', '-o', 'json')).items;
  return pods.filter((p) => !p.metadata.deletionTimestamp).map((p) => ({
    name: p.metadata.name,
    restarts: p.status?.containerStatuses?.find((c) => c.name === 'discovery')?.restartCount ?? 0,
    ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  }));
}

async function killIstiod(victim, how) {
  if (how === 'force-delete') return void (await kubectl('-n', NS, 'delete', 'pod', victim.name, '--grace-period=0', '--force'));
  const ps = await exec('docker', ['ps', '-q', '--filter', `label=io.kubernetes.pod.name=${victim.name}`, '--filter', 'label=io.kubernetes.container.name=discovery']);
  const ids = ps.stdout.split(/\s+/).filter(Boolean);
  if (ps.code !== 0 || ids.length === 0) throw new Error(`no running discovery container of ${victim.name} (docker ps: ${ps.stderr.trim()}); DOCKER_HOST must be the node's (tools/cluster/cluster.sh env)`);
  const kill = await exec('docker', ['kill', '--signal', 'KILL', ...ids]);
  if (kill.code !== 0) throw new Error(`docker kill ${ids.join(' ')}: ${kill.stderr.trim()}`);
}

/** How many of the run's hosts the gateway answers with their own abort status. */
async function gatewayAnswers(url, run) {
  const answers = await Promise.all(Array.from({ length: VS_COUNT }, async (_, i) => {
    try {
      const res = await request(`${url}/`, { headers: { host: probeHost(run, i) }, headersTimeout: 5000, bodyTimeout: 5000 });
      const body = await res.body.text();
      return res.statusCode === probeStatus(i) && body.includes('fault filter abort');
    } catch {
      return false;
    }
  }));
  return answers.filter(Boolean).length;
}

/** `trellis proxy-status -o json`: proxies connected and how many are SYNCED on CDS, LDS, EDS and RDS. */
async function proxyStatus() {
  const r = await exec(TRELLIS, ['proxy-status', '-o', 'json']);
  if (r.code !== 0) return { total: 0, synced: 0 };
  const rows = JSON.parse(r.stdout);
  const synced = rows.filter((s) => ['CDS', 'LDS', 'EDS', 'RDS'].every((t) => s.types?.[t]?.status === 'SYNCED'));
  return { total: rows.length, synced: synced.length };
}

/** Hosts of the run's DestinationRule subset among the gateway's clusters (`trellis proxy-config clusters`). */
async function gatewaySubsetHosts(run) {
  const [gw] = await readyPods(NS, 'istio=ingressgateway');
  if (gw === undefined) return 0;
  const r = await exec(TRELLIS, ['proxy-config', 'clusters', `${gw}.${NS}`, '--subset', chaosSubset(run)]);
  return ruleHosts().filter((h) => new RegExp(`^${h}\\.default\\.svc\\.cluster\\.local +\\d+ +${chaosSubset(run)} `, 'm').test(r.stdout)).length;
}

/** What the API server holds of the run: VirtualServices with its label, DestinationRules with its subset. */
async function apiServerHolds(run) {
  const vs = await kubectl('get', 'virtualservices', '-l', `${RUN_LABEL}=${run}`, '-o', 'name');
  const drs = JSON.parse(await kubectl('get', 'destinationrules', ...ruleHosts(), '-o', 'json')).items;
  return vs.split('\n').filter(Boolean).length + drs.filter((d) => d.spec.subsets?.some((s) => s.name === chaosSubset(run))).length;
}

/** Ms from `since` until TEST holds (polled every intervalMs), NaN when not within the budget. */
async function timeUntil(since, budgetMs, intervalMs, test) {
  try {
    await until('', Math.max(0, budgetMs - (Date.now() - since)), test, intervalMs);
    return Date.now() - since;
  } catch {
    return NaN;
  }
}

/** Restores the state before the run: its VirtualServices deleted, Bookinfo's DestinationRules as shipped. */
async function restore(run) {
  await kubectl('delete', 'virtualservices', '-l', `${RUN_LABEL}=${run}`, '--ignore-not-found');
  const r = await exec('kubectl', ['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: bookinfoDestinationRules() }));
  if (r.code !== 0) throw new Error(`restoring destination-rule-all: ${r.stderr.trim()}`);
}

const seconds = (ms) => (Number.isFinite(ms) ? `${(ms / 1000).toFixed(1)} s` : 'never');

/** @param {{ url: string, how?: 'sigkill' | 'force-delete', killDelayMs?: number, budgetMs?: number }} o */
export const istiodCrashDuringApply = (o) => ({
  name: `istiod ${o.how === 'force-delete' ? 'force-deleted' : 'SIGKILL'} during kubectl apply -f (${VS_COUNT} VirtualServices + 4 DestinationRules)`,
  async run() {
    const run = Date.now().toString(36);
    const [victim] = (await istiodPods()).filter((p) => p.ready);
    if (victim === undefined) throw new Error('no Ready istiod pod in istio-system');
    const before = await proxyStatus();
    const started = Date.now();
    const applying = exec('kubectl', ['apply', '-f', '-'], JSON.stringify(applyList(run))).then((r) => ({ ...r, ms: Date.now() - started }));
    await sleep(o.killDelayMs ?? 150);
    await killIstiod(victim, o.how);
    const killedMs = Date.now() - started;
    const applied = await applying;
    const budget = o.budgetMs ?? 90_000;
    const readyMs = await timeUntil(started, budget, 1000, async () => (await istiodPods()).some((p) => p.ready && (p.name !== victim.name || p.restarts > victim.restarts)));
    const held = await apiServerHolds(run);
    const servedMs = await timeUntil(started, budget, 1000, async () => (await gatewayAnswers(o.url, run)) === VS_COUNT);
    let last = { total: 0, synced: 0 };
    let subsets = 0;
    const syncedMs = await timeUntil(started, budget, 2000, async () => {
      last = await proxyStatus();
      subsets = await gatewaySubsetHosts(run);
      return last.total >= before.total && last.synced === last.total && subsets === 4;
    });
    const configLost = applied.code !== 0 || held !== VS_COUNT + 4 || Number.isNaN(servedMs) || Number.isNaN(syncedMs);
    const note = [
      `apply exit ${applied.code} after ${seconds(applied.ms)}, istiod killed at ${seconds(killedMs)}${applied.code ? ` (${applied.stderr.trim().split('\n')[0]})` : ''}`,
      `API server holds ${held}/${VS_COUNT + 4}`,
      `istiod Ready again after ${seconds(readyMs)}`,
      `all ${VS_COUNT} hosts answered by the gateway after ${seconds(servedMs)}`,
      `${last.synced}/${last.total} proxies SYNCED (${before.total} before) and the 4 subsets at the gateway (${subsets}) after ${seconds(syncedMs)}`,
    ].join('; ');
    await restore(run);
    return { recoveryMs: servedMs, configLost, note };
  },
});
