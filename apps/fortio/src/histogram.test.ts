import { goDuration, goG } from './go-format';
import { Histogram } from './histogram';

describe("fortio's histogram and Go number formats", () => {
  it('formats as Go %g and time.Duration', () => {
    expect(goG(0.0056869)).toBe('0.0056869');
    expect(goG(0.0000499)).toBe('4.99e-05');
    expect(goG(231)).toBe('231');
    expect(goG(195.65, 8)).toBe('195.65');
    expect(goDuration(59.8524)).toBe('59.8524ms');
    expect(goDuration(1500)).toBe('1.5s');
    expect(goDuration(5000)).toBe('5s');
  });

  it('buckets ]prev, edge] clamped to min/max, with cumulative percentages and interpolated targets', () => {
    const h = new Histogram();
    for (const ms of [0.5, 0.8, 1.5, 3.2, 3.4, 3.6, 4.5, 7.5, 9.5, 14.4]) h.record(ms / 1000);
    const lines = h.lines([50, 90]);
    expect(lines[0]).toBe('# range, mid point, percentile, count');
    expect(lines[1]).toBe('>= 0.0005 <= 0.001 , 0.00075 , 20.00, 2');
    expect(lines[2]).toBe('> 0.001 <= 0.002 , 0.0015 , 30.00, 1');
    expect(lines[3]).toBe('> 0.003 <= 0.004 , 0.0035 , 60.00, 3');
    expect(lines.at(-3)).toBe('> 0.014 <= 0.0144 , 0.0142 , 100.00, 1');
    expect(lines.at(-2)).toBe('# target 50% 0.00366667');
    expect(lines.at(-1)).toBe('# target 90% 0.01');
    expect(h.line('Aggregated Function Time')).toMatch(/^Aggregated Function Time : count 10 avg 0.00489 \+\/- [0-9.e-]+ min 0.0005 max 0.0144 sum 0.0489$/);
  });
});
