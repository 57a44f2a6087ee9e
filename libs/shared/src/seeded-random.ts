/**
 * A small seeded PRNG (mulberry32) for fuzzers and chaos runs: the same seed gives the same cases,
 * so a failure's seed (printed in the test name) replays it. Not for anything secret.
 */
export type Random = () => number;

export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One element of `xs`, chosen by `r`. */
export const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

/** The fuzz budget and seed from the environment: FUZZ_ITERATIONS (else `defaultIterations`), FUZZ_SEED (else random). */
export function fuzzSettings(env: Readonly<Record<string, string | undefined>>, defaultIterations: number): { seed: number; iterations: number } {
  return { seed: Number(env['FUZZ_SEED'] ?? Math.floor(Math.random() * 2 ** 31)), iterations: Number(env['FUZZ_ITERATIONS'] ?? defaultIterations) };
}

export interface FuzzCaseRef {
  readonly id: number;
  readonly mutations: readonly string[];
}

export interface FuzzReport {
  /** `case <id> [<mutations>]: <problem>` for each case whose check found one. */
  readonly problems: string[];
  /** How many cases ended in each outcome (to show the fuzz reached every kind of answer). */
  readonly outcomes: Record<string, number>;
}

/** Checks every case, `parallel` at a time; a check returns its outcome and a problem ('' = none). */
export async function runFuzzCases<C extends FuzzCaseRef>(cases: readonly C[], parallel: number, check: (c: C) => Promise<{ outcome: string; problem: string }>): Promise<FuzzReport> {
  const report: FuzzReport = { problems: [], outcomes: {} };
  for (let i = 0; i < cases.length; i += parallel) {
    await Promise.all(
      cases.slice(i, i + parallel).map(async (c) => {
        const { outcome, problem } = await check(c);
        report.outcomes[outcome] = (report.outcomes[outcome] ?? 0) + 1;
        if (problem !== '') report.problems.push(`case ${c.id} [${c.mutations.join(',')}]: ${problem}`);
      }),
    );
  }
  return report;
}
