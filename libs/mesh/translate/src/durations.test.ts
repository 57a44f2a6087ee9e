import { parseDurationNanos, toDuration } from './durations';
import { intersectHosts, resolveHost } from './hosts';

describe('durations', () => {
  it.each([
    ['7s', { seconds: 7, nanos: 0 }],
    ['0.5s', { seconds: 0, nanos: 500000000 }],
    ['100ms', { seconds: 0, nanos: 100000000 }],
    ['1m30s', { seconds: 90, nanos: 0 }],
    ['1h', { seconds: 3600, nanos: 0 }],
    ['3m', { seconds: 180, nanos: 0 }],
  ])('%s', (text, d) => expect(toDuration(text)).toEqual(d));
  it('rejects garbage', () => {
    expect(parseDurationNanos('7')).toBeUndefined();
    expect(parseDurationNanos('abc')).toBeUndefined();
    expect(parseDurationNanos('')).toBeUndefined();
  });
});

describe('hosts', () => {
  it('resolves short names in a namespace, keeps FQDNs and wildcards', () => {
    expect(resolveHost('reviews', 'default', 'cluster.local')).toBe('reviews.default.svc.cluster.local');
    expect(resolveHost('reviews.default.svc.cluster.local', 'x', 'cluster.local')).toBe('reviews.default.svc.cluster.local');
    expect(resolveHost('*', 'x', 'cluster.local')).toBe('*');
  });
  it('intersects wildcards as the more specific host', () => {
    expect(intersectHosts('*', 'a.com')).toBe('a.com');
    expect(intersectHosts('*.b.com', 'a.b.com')).toBe('a.b.com');
    expect(intersectHosts('*.com', '*.b.com')).toBe('*.b.com');
    expect(intersectHosts('a.com', 'b.com')).toBeUndefined();
  });
});
