import type { Span } from '../model/span';
import { startTestServer, type TestServer } from '../testing/server';

const NOW_MS = 1_700_000_000_000;
const startNs = (BigInt(NOW_MS - 1_000) * 1_000_000n).toString();
const endNs = (BigInt(NOW_MS - 1_000) * 1_000_000n + 2_500_000n).toString();

const request = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'Reviews' } }, { key: 'k8s.namespace.name', value: { stringValue: 'default' } }] },
      scopeSpans: [
        {
          scope: { name: 'trellis-proxy', version: '0.1.0' },
          spans: [
            {
              traceId: '5B8EFFF798038103D269B633813FC60C', spanId: 'EEE19B7EC3C1B174', parentSpanId: 'EEE19B7EC3C1B173',
              name: 'GET /reviews/0', kind: 2, startTimeUnixNano: startNs, endTimeUnixNano: endNs,
              attributes: [
                { key: 'http.status_code', value: { intValue: '503' } },
                { key: 'peer.service', value: { stringValue: 'productpage' } },
                { key: 'network.peer.address', value: { stringValue: '10.0.0.7' } },
                { key: 'retry', value: { boolValue: true } },
                { key: 'ids', value: { arrayValue: { values: [{ intValue: 1 }, { stringValue: 'x' }] } } },
              ],
              events: [{ timeUnixNano: endNs, name: 'exception', attributes: [{ key: 'exception.type', value: { stringValue: 'Timeout' } }] }],
              status: { code: 2, message: 'upstream timeout' },
            },
            { traceId: '5b8efff798038103d269b633813fc60c', spanId: 'eee19b7ec3c1b175', parentSpanId: '', name: 'internal', kind: 'SPAN_KIND_INTERNAL', startTimeUnixNano: startNs, endTimeUnixNano: startNs },
          ],
        },
      ],
    },
  ],
};

describe('POST /v1/traces (OTLP/HTTP JSON)', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer({ nowMs: NOW_MS });
  });
  afterEach(() => server.close());

  it('converts an ExportTraceServiceRequest to Zipkin spans', async () => {
    const res = await server.post('/v1/traces', request);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    const { body } = await server.getJson<Span[]>('/api/v2/trace/5b8efff798038103d269b633813fc60c');
    const server1 = body.find((s) => s.id === 'eee19b7ec3c1b174');
    expect(server1).toEqual({
      traceId: '5b8efff798038103d269b633813fc60c', id: 'eee19b7ec3c1b174', parentId: 'eee19b7ec3c1b173', kind: 'SERVER', name: 'get /reviews/0',
      timestamp: (NOW_MS - 1_000) * 1000, duration: 2_500,
      localEndpoint: { serviceName: 'reviews' }, remoteEndpoint: { serviceName: 'productpage', ipv4: '10.0.0.7' },
      annotations: [{ timestamp: (NOW_MS - 1_000) * 1000 + 2_500, value: 'exception|{"exception.type":"Timeout"}' }],
      tags: {
        'k8s.namespace.name': 'default', 'otel.scope.name': 'trellis-proxy', 'otel.scope.version': '0.1.0', 'http.status_code': '503',
        'peer.service': 'productpage', 'network.peer.address': '10.0.0.7', retry: 'true', ids: '["1","x"]', 'otel.status_code': 'ERROR', error: 'upstream timeout',
      },
    });
    const internal = body.find((s) => s.id === 'eee19b7ec3c1b175');
    expect(internal?.kind).toBeUndefined();
    expect(internal?.parentId).toBeUndefined();
    expect(internal?.duration).toBe(1);
    expect((await server.getJson('/api/v2/services')).body).toEqual(['reviews']);
  });

  it('refuses protobuf with 415 and a Status naming the JSON encoding', async () => {
    const res = await server.post('/v1/traces', Buffer.from([10, 0]), { 'content-type': 'application/x-protobuf' });
    expect(res.status).toBe(415);
    const status = (await res.json()) as { code: number; message: string };
    expect(status.message).toContain('OTEL_EXPORTER_OTLP_PROTOCOL=http/json');
  });

  it('rejects malformed ids with 400', async () => {
    const bad = { resourceSpans: [{ scopeSpans: [{ spans: [{ traceId: 'zz', spanId: '01' }] }] }] };
    const res = await server.post('/v1/traces', bad);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain('traceId should be lower-hex');
  });
});
