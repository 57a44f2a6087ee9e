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
