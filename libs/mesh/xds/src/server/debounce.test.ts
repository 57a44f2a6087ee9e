import { createDebouncer } from './debounce';

describe('createDebouncer', () => {
  it('merges a burst into one fire after the quiet period', async () => {
    const fired: string[][] = [];
    const d = createDebouncer({ quietMs: 40, maxMs: 1000 }, (_at, reasons) => fired.push(reasons));
    d.trigger('a');
    d.trigger('b');
    d.trigger('a');
    await new Promise((r) => setTimeout(r, 120));
    expect(fired).toEqual([['a', 'b']]);
    d.cancel();
  });

  it('fires after maxMs even while events keep coming', async () => {
    const fired: number[] = [];
    const d = createDebouncer({ quietMs: 50, maxMs: 150 }, (at) => fired.push(Date.now() - at));
    const start = Date.now();
    while (Date.now() - start < 300 && fired.length === 0) {
      d.trigger('tick');
      await new Promise((r) => setTimeout(r, 10));
    }
    d.cancel();
    expect(fired).toHaveLength(1);
    expect(fired[0]).toBeGreaterThanOrEqual(140);
    expect(fired[0]).toBeLessThan(260);
  });
});
