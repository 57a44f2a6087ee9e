// Pass/fail of one chaos row (the `verdict` column; the CI profile exits 1 on any FAIL). Pure.
// Where the mesh owes it, nothing may fail; where the fault is the point, only the failures the fault
// explains, bounded. An application's own timeout (reviews v3's 2.5 s, productpage's 3 s, the client's; `slow` in the row,
// see load.mjs isTimeoutFailure) follows the machine's load, not the mesh: up to SLOW_SHARE of a row's
// requests are reported and tolerated. More than that fails: a request the mesh held (a black hole)
// looks the same, and a row that cannot tell them apart must not pass.

import { APP_TIMEOUT_MS } from './load.mjs';

export const SLOW_SHARE = 0.1;
/** No pile-up across a hung and dead upstream: growth of the path's proxies (gateway, productpage, reviews). */
export const PILE_UP = { rssMb: 100, fds: 100 };
/** Overload: the peak's memory growth, and the time to 100 % at the base rate afterwards. */
export const OVERLOAD = { rssMb: 200, recoveryMs: 12_000 };

const sum = (f) => Object.values(f ?? {}).reduce((a, b) => a + b, 0);

/** Failures the row may not have: all but the `allowed` outcomes and the tolerated timeouts. */
function unexplained(row, allowed) {
  const excused = (k) => (tolerated(row) ? row.slowBy?.[k] ?? 0 : 0);
  const failed = Object.entries(row.failed ?? {}).filter(([k, v]) => !allowed.includes(k) && v - excused(k) > 0);
  const n = failed.reduce((a, [k, v]) => a + v - excused(k), 0);
  return n > 0 ? `${n} failed (${failed.map(([k, v]) => `${v - excused(k)}× ${k}`).join(', ')})` : undefined;
}

const tolerated = (row) => (row.slow ?? 0) <= Math.floor(SLOW_SHARE * row.sent);

const slowTooMany = (row) => (tolerated(row) ? undefined : `${row.slow} requests ran into an application timeout (> ${SLOW_SHARE * 100} % of ${row.sent})`);
const noFailures = (row) => unexplained(row, []);
const recovered = (row) => (Number.isFinite(row.recoveryMs) ? undefined : 'did not recover within the scenario');
const noConfigLost = (row) => (row.configLost ? 'config lost' : undefined);

const CRITERIA = {
  baseline: [noFailures, slowTooMany],
  'cp-kill': [noFailures, slowTooMany, recovered, noConfigLost, (r) => (Number.isFinite(r.resyncMs) ? undefined : 'not every proxy reconnected within 90 s')],
  churn: [noFailures, slowTooMany, noConfigLost, (r) => (r.changes?.rejected ? `${r.changes.rejected} changes rejected` : undefined)],
  'reviews-kill': [noFailures, slowTooMany, recovered],
  'slow-dead': [(r) => unexplained(r, ['200 degraded']), slowTooMany, recovered, pileUp],
  overload: [(r) => unexplained(r, ['503 UO']), slowTooMany, overloadBounded],
  'store-crash': [noConfigLost, (r) => (sum(r.failed) > 0 ? `${r.failed.partial} partial, ${r.failed['acked-but-lost']} acknowledged but lost` : undefined)],
  'cert-rotation': [noFailures, slowTooMany, (r) => (r.rotations >= 1 ? undefined : `no rotation seen across ${r.sidecars} sidecars: the row proves nothing`)],
  'ca-kill': [noFailures, slowTooMany],
};

function pileUp(row) {
  const { before, after } = row.usage ?? {};
  if (before === undefined) return 'no RSS/fd figures';
  if (after.rss - before.rss > PILE_UP.rssMb) return `RSS grew ${after.rss - before.rss} MB (> ${PILE_UP.rssMb})`;
  if (after.fds - before.fds > PILE_UP.fds) return `fds grew by ${after.fds - before.fds} (> ${PILE_UP.fds})`;
  return undefined;
}

function overloadBounded(row) {
  const { before, after } = row.usage ?? {};
  if (before !== undefined && after.rss - before.rss > OVERLOAD.rssMb) return `RSS grew ${after.rss - before.rss} MB at the peak (> ${OVERLOAD.rssMb})`;
  if (!(row.recoveryMs <= OVERLOAD.recoveryMs)) return `not back to 100 % within ${OVERLOAD.recoveryMs / 1000} s`;
  return undefined;
}

/**
 * @param {string} kind the scenario's key (cp-kill, churn, …)
 * @param {object} row its table row
 * @returns {{ pass: boolean, text: string }} `pass`, `pass (n slow: …)` or `FAIL: reasons`
 */
export function judge(kind, row) {
  if (row.error !== undefined) return { pass: false, text: `FAIL: ${String(row.error).split('\n')[0]}` };
  const problems = (CRITERIA[kind] ?? [() => `no criteria for ${kind}`]).map((c) => c(row)).filter((p) => p !== undefined);
  if (problems.length > 0) return { pass: false, text: `FAIL: ${problems.join('; ')}` };
  if (kind === 'overload' && !(row.failed?.['503 UO'] > 0)) return { pass: true, text: 'pass (nothing shed: the stack kept up with the peak)' };
  return { pass: true, text: row.slow > 0 ? `pass (${row.slow} slow: an application's own ${APP_TIMEOUT_MS / 1000} s timeout, tolerated up to ${SLOW_SHARE * 100} %)` : 'pass' };
}
