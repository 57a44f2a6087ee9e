import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('starts full, refills tokens_per_fill per whole fill_interval, never above max', () => {
    let t = 0;
    const b = new TokenBucket(3, 2, 100, { now: () => t, monotonic: () => t });
    expect([b.consume(), b.consume(), b.consume(), b.consume()]).toEqual([true, true, true, false]);
    t = 99;
    expect(b.consume()).toBe(false);
    t = 100;
    expect(b.remaining()).toBe(2);
    t = 1_000; // nine more fills, capped at 3
    expect(b.remaining()).toBe(3);
    t = 1_050; // partial interval: nothing yet, and the partial time is kept
    b.consume();
    t = 1_100;
    expect(b.remaining()).toBe(3);
  });
});
