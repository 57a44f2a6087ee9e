import { fuzzSettings, mulberry32, pick } from './seeded-random';

describe('seeded random for fuzzers', () => {
  it('replays the same sequence for the same seed, another for another seed, within [0, 1)', () => {
    const a = Array.from({ length: 5 }, mulberry32(42));
    expect(Array.from({ length: 5 }, mulberry32(42))).toEqual(a);
    expect(Array.from({ length: 5 }, mulberry32(43))).not.toEqual(a);
    expect(a.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(pick(() => 0.99, ['a', 'b', 'c'])).toBe('c');
  });

  it('reads FUZZ_SEED and FUZZ_ITERATIONS, else a random seed and the default budget', () => {
    expect(fuzzSettings({ FUZZ_SEED: '7', FUZZ_ITERATIONS: '1000' }, 100)).toEqual({ seed: 7, iterations: 1000 });
    const s = fuzzSettings({}, 100);
    expect(s.iterations).toBe(100);
    expect(Number.isInteger(s.seed)).toBe(true);
  });
});
