// The run's options: the full profile (`npm run chaos`, unchanged) or the CI profile
// (`npm run chaos -- --ci`, or CHAOS_PROFILE=ci): every scenario kind that fits ~100 s on a loaded
// 2-core machine, stack start included — a low fixed rate, shorter windows, fewer store-crash trials,
// a short restart back-off — and a verdict per row that decides the exit code.
// Env knobs (CHAOS_RATE, CHAOS_DURATION_MS, …) override either profile.

export const FULL_SCENARIOS = ['baseline', 'cp-kill', 'churn', 'reviews-kill', 'slow-dead', 'overload', 'store-crash', 'cert-rotation', 'ca-kill'];

/**
 * CI: one window per scenario kind (ms of open-loop load). cert-rotation makes the whole run use
 * short-lived certificates (mesh.yaml is read at start): 20 s, renewed at ~10 s, so an 11 s window sees
 * every sidecar rotate (a 30 s TTL's 10 s window saw 1 of 6) while a killed control plane (the CA) has
 * ≥ 10 s to come back before any certificate expires (7 s measured with a core busy); ca-kill (the CA
 * down while certificates expire) is left to the full run.
 */
const CI = {
  rate: 12,
  restartBackoff: '250ms',
  trials: 2,
  certTtl: '20s',
  scenarios: ['baseline', 'cp-kill', 'churn', 'reviews-kill', 'slow-dead', 'overload', 'store-crash', 'cert-rotation'],
  durations: { baseline: 4000, 'cp-kill': 8000, churn: 6000, 'reviews-kill': 6000, 'slow-dead': 8000, 'cert-rotation': 11_000 },
  /** Overload's 10× peak, and productpage's pool (maxConnections = http1MaxPendingRequests): at 32+32 a quiet run served all of 120 rps and shed nothing. */
  peakMs: 5000,
  overloadPool: 4,
};

const FULL = { rate: 200, restartBackoff: '1s', trials: 3, certTtl: '10s', scenarios: FULL_SCENARIOS, durations: {}, peakMs: 10_000, overloadPool: 32 };

const numberOf = (env, name, fallback) => {
  if (env[name] === undefined || env[name] === '') return fallback;
  const n = Number(env[name]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${env[name]}: expected a positive number`);
  return n;
};

/**
 * @param {string[]} argv the script's arguments (`--ci`, `--no-build`)
 * @param {Record<string, string | undefined>} env
 */
export function readOptions(argv, env) {
  for (const a of argv) if (!['--ci', '--no-build'].includes(a)) throw new Error(`unknown argument ${a}; known: --ci, --no-build`);
  if (env.CHAOS_PROFILE !== undefined && !['ci', 'full'].includes(env.CHAOS_PROFILE)) throw new Error(`CHAOS_PROFILE=${env.CHAOS_PROFILE}: ci or full`);
  const ci = argv.includes('--ci') || env.CHAOS_PROFILE === 'ci';
  const p = ci ? CI : FULL;
  const durationMs = numberOf(env, 'CHAOS_DURATION_MS', 15_000);
  const fixed = env.CHAOS_DURATION_MS !== undefined && env.CHAOS_DURATION_MS !== '';
  const scenarios = (env.CHAOS_SCENARIOS ?? p.scenarios.join(',')).split(',').filter(Boolean);
  for (const name of scenarios) if (!FULL_SCENARIOS.includes(name)) throw new Error(`unknown scenario ${name}; known: ${FULL_SCENARIOS.join(', ')}`);
  return {
    profile: ci ? 'ci' : 'full',
    rate: numberOf(env, 'CHAOS_RATE', p.rate),
    durationMs,
    /** The load window of one scenario: CHAOS_DURATION_MS when set, else the profile's. */
    durationOf: (name) => (fixed ? durationMs : p.durations[name] ?? durationMs),
    peakMs: p.peakMs,
    overloadPool: p.overloadPool,
    trials: numberOf(env, 'CHAOS_TRIALS', p.trials),
    seed: numberOf(env, 'CHAOS_SEED', (Date.now() % 999_999) + 1),
    certTtl: env.CHAOS_CERT_TTL ?? p.certTtl,
    certKey: env.CHAOS_CERT_KEY ?? 'ECDSA',
    restartBackoff: env.CHAOS_RESTART_BACKOFF ?? p.restartBackoff,
    scenarios,
    /** `always` (full), `if-stale` (CI: npm test built dist just before), `never` (--no-build). */
    build: argv.includes('--no-build') ? 'never' : ci ? 'if-stale' : 'always',
    /** A verdict fails the run only in CI; the full run reports figures (its default rate saturates this box). */
    strict: ci,
    /** CI only: the whole run, stack start included, is stopped and failed past this. */
    deadlineMs: ci ? 300_000 : Infinity,
  };
}
