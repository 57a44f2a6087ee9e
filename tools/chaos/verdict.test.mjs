// node --test tools/chaos: the verdicts and the profile, without a stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { summarize } from './load.mjs';
import { readOptions } from './profile.mjs';
import { judge } from './verdict.mjs';

const rec = (outcome, ms = 20) => ({ at: 0, ms, path: '/productpage', outcome });
const rowOf = (records, extra = {}) => ({ scenario: 'x', ...summarize(records), recoveryMs: 1000, configLost: false, ...extra });
const oks = (n) => Array.from({ length: n }, () => rec('ok'));

test('a fast failure fails a row the mesh owes; a few application timeouts are tolerated and said so', () => {
  assert.equal(judge('cp-kill', rowOf(oks(100), { resyncMs: 9000 })).text, 'pass');
  assert.match(judge('cp-kill', rowOf(oks(100), { resyncMs: NaN })).text, /not every proxy reconnected/);
  assert.match(judge('cp-kill', rowOf([...oks(99), rec('503 UF')])).text, /^FAIL: 1 failed \(1× 503 UF\)/);
  // 200 degraded within productpage's timeout: the mesh answered reviews with an error
  assert.match(judge('reviews-kill', rowOf([...oks(99), rec('200 degraded', 500)])).text, /^FAIL/);
  const slow = judge('baseline', rowOf([...oks(95), ...Array.from({ length: 5 }, () => rec('200 degraded', 3100))]));
  assert.equal(slow.pass, true);
  assert.match(slow.text, /5 slow/);
  // reviews v3 gives up on ratings after 2.5 s: the shortest application timeout in the path
  assert.equal(summarize([rec('200 degraded', 2600), rec('200 degraded', 2400), rec('503 UF', 9000)]).slow, 1);
});

test('a proxy flag is never excused as load, and too many timeouts fail (a black hole looks the same)', () => {
  assert.match(judge('baseline', rowOf([...oks(99), rec('503 UC', 5000)])).text, /^FAIL: 1 failed/);
  const many = judge('cp-kill', rowOf([...oks(80), ...Array.from({ length: 20 }, () => rec('200 degraded', 3100))]));
  assert.match(many.text, /^FAIL: 20 failed .*; 20 requests ran into an application timeout \(> 10 % of 100\)/);
});

test('hung/dead upstream: only fast 200 degraded, no pile-up; overload: only 503 UO and a bounded recovery', () => {
  const usage = { before: { rss: 300, fds: 180 }, after: { rss: 310, fds: 220 } };
  const hung = [...oks(70), ...Array.from({ length: 26 }, () => rec('200 degraded', 1040))];
  assert.equal(judge('slow-dead', rowOf(hung, { usage })).text, 'pass');
  // without the route timeout the same failures take productpage's 3 s: more than 10 % fails
  assert.match(judge('slow-dead', rowOf([...oks(70), ...hung.slice(70).map((r) => ({ ...r, ms: 3050 }))], { usage })).text, /FAIL: 26 requests ran into/);
  assert.match(judge('slow-dead', rowOf(hung, { usage: { ...usage, after: { rss: 310, fds: 400 } } })).text, /fds grew by 220/);
  const peak = [...oks(50), ...Array.from({ length: 50 }, () => rec('503 UO'))];
  assert.equal(judge('overload', rowOf(peak, { usage, recoveryMs: 2000 })).text, 'pass');
  assert.match(judge('overload', rowOf(oks(100), { usage, recoveryMs: 2000 })).text, /nothing shed/);
  assert.match(judge('overload', rowOf(peak, { usage, recoveryMs: NaN })).text, /not back to 100 %/);
  assert.match(judge('overload', rowOf([...peak, rec('503 UF')], { usage, recoveryMs: 2000 })).text, /1× 503 UF/);
});

test('config store, churn, rotation and errors', () => {
  const store = { sent: 2, ok: 2, failed: { partial: 0, 'acked-but-lost': 0 }, configLost: false };
  assert.equal(judge('store-crash', store).pass, true);
  assert.match(judge('store-crash', { ...store, failed: { partial: 1, 'acked-but-lost': 0 }, configLost: true }).text, /config lost; 1 partial/);
  assert.match(judge('churn', rowOf(oks(10), { changes: { applied: 6, rejected: 1 } })).text, /1 changes rejected/);
  assert.match(judge('cert-rotation', rowOf(oks(10), { rotations: 0, sidecars: 6 })).text, /no rotation seen/);
  assert.equal(judge('cert-rotation', rowOf(oks(10), { rotations: 2, sidecars: 6 })).pass, true);
  assert.match(judge('cp-kill', { error: 'Error: boom\n at x' }).text, /^FAIL: Error: boom$/);
});

test('profiles: --ci and CHAOS_PROFILE=ci; the full run keeps its figures; bad input is named', () => {
  const ci = readOptions(['--ci'], {});
  assert.equal(ci.profile, 'ci');
  assert.equal(ci.strict, true);
  assert.equal(ci.build, 'if-stale');
  assert.equal(ci.durationOf('overload'), 15_000);
  assert.equal(ci.durationOf('churn'), 6000);
  assert.equal(readOptions([], { CHAOS_PROFILE: 'ci', CHAOS_DURATION_MS: '4000' }).durationOf('churn'), 4000);
  const full = readOptions([], {});
  assert.deepEqual([full.rate, full.durationOf('churn'), full.trials, full.peakMs, full.overloadPool, full.strict, full.build], [200, 15_000, 3, 10_000, 32, false, 'always']);
  assert.equal(readOptions(['--no-build'], {}).build, 'never');
  assert.throws(() => readOptions(['--fast'], {}), /unknown argument --fast/);
  assert.throws(() => readOptions([], { CHAOS_RATE: 'x' }), /CHAOS_RATE=x: expected a positive number/);
  assert.throws(() => readOptions([], { CHAOS_SCENARIOS: 'nope' }), /unknown scenario nope/);
});
