import { parsePromText } from './prom-text';
import { SampleStore } from './sample-store';

describe('parsePromText', () => {
  it('reads Envoy-style lines: escapes, no labels, +Inf, comments, malformed lines skipped', () => {
    const text = [
      '# TYPE istio_requests_total counter',
      'istio_requests_total{reporter="source",destination_service="a\\"b\\\\c",response_flags="-"} 12',
      'istio_build{} 1',
      'envoy_cluster_upstream_rq{x="1"} 3',
      'istio_request_duration_milliseconds_bucket{le="+Inf"} 4 1700000000000',
      'istio_broken{a="1} 2',
      'istio_plain 7.5',
    ].join('\n');
    expect(parsePromText(text, (n) => n.startsWith('istio_')).map(({ key: _key, ...rest }) => rest)).toEqual([
      { name: 'istio_requests_total', labels: { reporter: 'source', destination_service: 'a"b\\c', response_flags: '-' }, value: 12 },
      { name: 'istio_build', labels: {}, value: 1 },
      { name: 'istio_request_duration_milliseconds_bucket', labels: { le: '+Inf' }, value: 4 },
      { name: 'istio_plain', labels: {}, value: 7.5 },
    ]);
  });
});

describe('SampleStore', () => {
  const m = (value: number): { name: string; labels: Record<string, string>; value: number }[] => [{ name: 'c', labels: { a: '1' }, value }];

  it('rate = increase / sampled span inside the window, counter resets handled', () => {
    const store = new SampleStore(3600, 10);
    store.add(m(0), 100, {});
    store.add(m(10), 105, {});
    store.add(m(4), 110, {}); // reset: the counter restarted and counted 4
    expect(store.rate('c', [], 60, 110)).toEqual([{ labels: { a: '1' }, value: 14 / 10 }]);
    expect(store.rate('c', [], 4, 110)).toEqual([]); // one sample in the window: no rate
    expect(store.rate('c', [{ name: 'a', op: '=', value: '2' }], 60, 110)).toEqual([]);
  });

  it('is bounded: old samples pruned, series capped', () => {
    const store = new SampleStore(10, 1);
    store.add([...m(1), { name: 'c', labels: { a: '2' }, value: 1 }], 100, {});
    expect(store.seriesCount).toBe(1);
    store.add(m(2), 200, {});
    store.prune(200);
    expect(store.rate('c', [], 1000, 200)).toEqual([]);
    expect(store.seriesCount).toBe(1);
  });

  it('keeps at most `capacity` samples per series (a ring)', () => {
    const store = new SampleStore(3600, 10, 2);
    store.add(m(0), 100, {});
    store.add(m(100), 101, {});
    store.add(m(101), 102, {});
    expect(store.rate('c', [], 60, 102)).toEqual([{ labels: { a: '1' }, value: 1 }]); // 100 → 101 only
  });
});
