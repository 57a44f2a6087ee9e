import type { FinishedSpan } from './span-context';
import { otlpJson } from './otlp-json';
import { zipkinJson } from './zipkin-json';

const span: FinishedSpan = {
  name: 'reviews.default.svc.cluster.local:9080/*', kind: 'SERVER', traceId: '463ac35c9f6413ad48485a3953bb6124', id: 'e457b5a2e4d86bd1',
  parentId: 'a2fb4a1d1a96d312', timestampUs: 1_700_000_000_123_456.5, durationUs: 1234.5, tags: { 'http.status_code': '503', error: 'true' }, traceState: 'congo=t61rcWkgMzE',
};

describe('span serialisation', () => {
  it('Zipkin v2 JSON: the fields of the API contract, integer microseconds, the node as localEndpoint', () => {
    const [out] = JSON.parse(zipkinJson([span, { ...span, parentId: undefined, kind: 'CLIENT' }], { serviceName: 'reviews.default', ipv4: '10.0.0.7' })) as Record<string, unknown>[];
    expect(out).toEqual({
      traceId: span.traceId, parentId: span.parentId, id: span.id, kind: 'SERVER', name: span.name, timestamp: 1_700_000_000_123_456, duration: 1234,
      localEndpoint: { serviceName: 'reviews.default', ipv4: '10.0.0.7', port: 0 }, tags: { 'http.status_code': '503', error: 'true' },
    });
    const list = JSON.parse(zipkinJson([span, { ...span, parentId: undefined, kind: 'CLIENT' }], { serviceName: '', ipv4: '' })) as Record<string, unknown>[];
    expect(list[1]).not.toHaveProperty('parentId');
    expect(list[1]?.['localEndpoint']).toEqual({});
    expect(zipkinJson([{ ...span, durationUs: 0 }], { serviceName: 's', ipv4: '' })).toContain('"duration":1,');
  });

  it('OTLP/HTTP JSON: resource service.name, hex ids, nanosecond strings, kind and error status', () => {
    const body = JSON.parse(otlpJson([span], { serviceName: 'reviews.default', ipv4: '' }, undefined)) as { resourceSpans: { resource: unknown; scopeSpans: { spans: Record<string, unknown>[] }[] }[] };
    expect(body.resourceSpans[0]?.resource).toEqual({ attributes: [{ key: 'service.name', value: { stringValue: 'reviews.default' } }] });
    expect(body.resourceSpans[0]?.scopeSpans[0]?.spans[0]).toMatchObject({
      traceId: span.traceId, spanId: span.id, parentSpanId: span.parentId, kind: 2, startTimeUnixNano: '1700000000123456000', endTimeUnixNano: '1700000000124690000',
      traceState: span.traceState, status: { code: 2 },
    });
  });
});
