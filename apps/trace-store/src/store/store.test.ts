import { decodeSpan } from '../ingest/zipkin-json';
import { hexId, singleSpan } from '../testing/fixtures';
import { parseQuery } from './query';
import { TraceStore } from './store';

const T0 = 1_700_000_000_000_000;

function traceOf(n: number, spans: number, service = `svc-${n % 3}`) {
  return Array.from({ length: spans }, (_, i) => decodeSpan({ ...singleSpan(n, service, T0 + n * 1000 + i), id: hexId(n * 100 + i + 1), parentId: i === 0 ? undefined : hexId(n * 100 + 1) }));
}

describe('TraceStore bound', () => {
  it('keeps at most maxSpans, evicting whole traces in arrival order and counting them', () => {
    const store = new TraceStore(10);
    let evicted = 0;
    for (let n = 1; n <= 8; n += 1) evicted += store.add(traceOf(n, 3)).evicted;
    expect(store.stats()).toEqual({ spans: 9, traces: 3 });
    expect(evicted).toBe(15);
    expect(store.trace(hexId(5))).toBeUndefined();
    expect(store.trace(hexId(6))).toHaveLength(3);
    expect(store.trace(hexId(8))).toHaveLength(3);
  });

  it('drops evicted traces from every index', () => {
    const store = new TraceStore(2);
    store.add(traceOf(1, 1, 'old'));
    store.add([decodeSpan({ ...singleSpan(1, 'old', T0), id: hexId(2), name: 'other', remoteEndpoint: { serviceName: 'db' } })]);
    expect(store.spanNamesOf('old')).toEqual(['get /old', 'other']);
    store.add(traceOf(2, 2, 'new'));
    expect(store.serviceNames()).toEqual(['new']);
    expect(store.spanNamesOf('old')).toEqual([]);
    expect(store.remoteServicesOf('old')).toEqual([]);
    const q = parseQuery({ serviceName: 'old' }, T0 / 1000 + 10_000, 86_400_000);
    expect(store.query(q)).toEqual([]);
  });

  it('stays bounded under a long stream (100k spans into a 1k store)', () => {
    const store = new TraceStore(1_000);
    for (let n = 1; n <= 20_000; n += 1) store.add(traceOf(n, 5));
    expect(store.stats().spans).toBeLessThanOrEqual(1_000);
    expect(store.trace(hexId(20_000))).toHaveLength(5);
    expect(store.serviceNames()).toEqual(['svc-0', 'svc-1', 'svc-2']);
  });
});
