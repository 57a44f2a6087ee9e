import { decodeSpan } from '../ingest/zipkin-json';
import { bookinfoTrace } from '../testing/fixtures';
import { renderTracePage } from './trace-page';
import { summarize, waterfall } from './tree';

const T0 = 1_700_000_000_000_000;

describe('waterfall layout (no browser)', () => {
  const spans = bookinfoTrace(T0).map(decodeSpan);

  it('nests shared server spans under their client and children under the server side', () => {
    const rows = waterfall([...spans].reverse());
    expect(rows.map((r) => [r.depth, r.span.kind, r.span.localEndpoint?.serviceName])).toEqual([
      [0, 'SERVER', 'istio-ingressgateway.istio-system'],
      [1, 'CLIENT', 'istio-ingressgateway.istio-system'],
      [2, 'SERVER', 'productpage.default'],
      [3, 'CLIENT', 'productpage.default'],
      [4, 'SERVER', 'details.default'],
      [3, 'CLIENT', 'productpage.default'],
      [4, 'SERVER', 'reviews.default'],
      [5, 'CLIENT', 'reviews.default'],
      [6, 'SERVER', 'ratings.default'],
    ]);
    const ratings = rows[8]!;
    expect(ratings.offsetPct).toBeCloseTo((12_100 / 40_000) * 100, 5);
    expect(ratings.widthPct).toBeCloseTo((5_800 / 40_000) * 100, 5);
  });

  it('summarises the trace for the list and escapes what it renders', () => {
    const t = summarize(spans);
    expect(t).toMatchObject({ spanCount: 9, duration: 40_000, start: T0, rootName: 'istio-ingressgateway.istio-system: productpage.default.svc.cluster.local:9080/productpage' });
    const html = renderTracePage([{ ...spans[0]!, tags: { '<script>': '"x"&' } }]);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
  });

  it('survives parent cycles and spans without timestamps', () => {
    const a = decodeSpan({ traceId: '1', id: 'a', parentId: 'b', name: 'a' });
    const b = decodeSpan({ traceId: '1', id: 'b', parentId: 'a', name: 'b' });
    expect(waterfall([a, b]).map((r) => r.span.name)).toEqual(['a', 'b']);
  });
});
