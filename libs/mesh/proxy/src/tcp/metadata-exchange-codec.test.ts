import type { ProxyNode } from '../proxy-node';
import { decodeStruct } from '../stats/struct-wire';
import { MX_MAGIC, PeerInterner, STRUCT_TYPE_URL, decodeExchangePayload, encodeExchange, exchangeBytes } from './metadata-exchange-codec';
import { type ExchangeOutcome, ExchangeReader } from './metadata-exchange-reader';

const NODE: ProxyNode = {
  id: 'sidecar~10.0.0.7~ratings-v2-mysql-7f9c8b6d5-x2k4p.default~default.svc.cluster.local',
  cluster: 'ratings.default',
  name: 'ratings-v2-mysql-7f9c8b6d5-x2k4p',
  namespace: 'default',
  labels: { app: 'ratings', version: 'v2-mysql', 'pod-template-hash': '7f9c8b6d5' },
  serviceAccount: 'bookinfo-ratings',
  clusterId: 'Kubernetes',
  instanceIp: '10.0.0.7',
};

function reader(): { r: ExchangeReader; results: [string | undefined, ExchangeOutcome][] } {
  const results: [string | undefined, ExchangeOutcome][] = [];
  const r = new ExchangeReader(new PeerInterner(), (peer, outcome) => results.push([peer?.workload, outcome]));
  return { r, results };
}

/** A length-delimited field's body (tag byte, varint length). */
function body(field: Buffer): Buffer {
  let len = 0;
  let i = 1;
  for (let shift = 0; ; shift += 7) {
    const b = field[i++] as number;
    len += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) break;
  }
  expect(field.length).toBe(i + len);
  return field.subarray(i);
}

/** Feeds `bytes` in pieces of `size`, collecting what the reader passes on. */
function feed(r: ExchangeReader, bytes: Buffer, size: number): Buffer {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) {
    const b = r.push(bytes.subarray(i, i + size));
    if (b !== undefined) out.push(b);
  }
  return Buffer.concat(out);
}

describe('TCP metadata exchange wire format', () => {
  it("writes istio/proxy's header (magic, size; network byte order) and an Any of the Struct {metadata, id}", () => {
    const b = encodeExchange(NODE);
    expect(b.readUInt32BE(0)).toBe(MX_MAGIC);
    expect(b.subarray(0, 4)).toEqual(Buffer.from([0x3d, 0x23, 0x04, 0x67]));
    expect(b.readUInt32BE(4)).toBe(b.length - 8);
    const any = b.subarray(8);
    expect(any[0]).toBe(0x0a);
    expect(any.subarray(2, 2 + (any[1] as number)).toString()).toBe(STRUCT_TYPE_URL);
    const value = any.subarray(2 + (any[1] as number));
    expect(value[0]).toBe(0x12);
    const s = decodeStruct(body(value));
    expect(s['x-envoy-peer-metadata-id']).toBe(NODE.id);
    expect(s['x-envoy-peer-metadata']).toEqual({
      NAME: NODE.name,
      NAMESPACE: 'default',
      WORKLOAD_NAME: 'ratings-v2-mysql',
      CLUSTER_ID: 'Kubernetes',
      LABELS: { 'service.istio.io/canonical-name': 'ratings', 'service.istio.io/canonical-revision': 'v2-mysql', app: 'ratings', version: 'v2-mysql' },
      OWNER: 'kubernetes://apis/apps/v1/namespaces/default/deployments/ratings-v2-mysql',
    });
    expect(decodeExchangePayload(any)).toEqual({ peer: expect.objectContaining({ workload: 'ratings-v2-mysql', app: 'ratings', version: 'v2-mysql', namespace: 'default' }), id: NODE.id });
    expect(exchangeBytes(NODE)).toBe(exchangeBytes(NODE));
  });

  it.each([1, 3, 8, 9, 64, 100_000])('reads the header and payload across chunks of %i bytes and passes the stream on intact', (size) => {
    const { r, results } = reader();
    const app = Buffer.from('\u0000\u0001mysql greeting and more bytes');
    const out = feed(r, Buffer.concat([exchangeBytes(NODE), app]), size);
    expect(out).toEqual(app);
    expect(results).toEqual([['ratings-v2-mysql', 'found']]);
    const later = Buffer.from('later');
    expect(r.push(later)).toBe(later);
    expect(r.flush()).toBeUndefined();
  });

  it('the same peer is one object (the stats key series by it)', () => {
    const interner = new PeerInterner();
    const peers: unknown[] = [];
    for (let i = 0; i < 2; i++) new ExchangeReader(interner, (p) => peers.push(p)).push(Buffer.from(exchangeBytes(NODE)));
    expect(peers[0]).toBeDefined();
    expect(peers[1]).toBe(peers[0]);
  });

  it('a peer that sends no header (wrong magic): no exchange, every byte passed on, also when the first chunk is short', () => {
    const { r, results } = reader();
    const bytes = Buffer.from('GET / HTTP/1.1\r\nhost: x\r\n\r\n');
    expect(feed(r, bytes, 3)).toEqual(bytes);
    expect(results).toEqual([[undefined, 'initial_header_not_found']]);
  });

  it('a stream that ends before the header is complete: the held bytes are flushed, no peer', () => {
    const { r, results } = reader();
    expect(r.push(Buffer.from([0x3d, 0x23]))).toBeUndefined();
    expect(r.flush()).toEqual(Buffer.from([0x3d, 0x23]));
    expect(results).toEqual([[undefined, 'closed']]);
  });

  it('magic with a payload that is not an Any of a Struct: header drained, the rest passed on, no peer', () => {
    const { r, results } = reader();
    const junk = Buffer.from([0x0a, 0x03, 0x61, 0x62, 0x63]); // Any{type_url: "abc"}
    const header = Buffer.alloc(8);
    header.writeUInt32BE(MX_MAGIC, 0);
    header.writeUInt32BE(junk.length, 4);
    expect(feed(r, Buffer.concat([header, junk, Buffer.from('x')]), 4)).toEqual(Buffer.concat([junk, Buffer.from('x')]));
    expect(results).toEqual([[undefined, 'header_not_found']]);
  });

  it('an oversized data_size is not buffered', () => {
    const { r, results } = reader();
    const header = Buffer.alloc(8);
    header.writeUInt32BE(MX_MAGIC, 0);
    header.writeUInt32BE(0xffffffff, 4);
    expect(r.push(Buffer.concat([header, Buffer.from('abc')]))).toEqual(Buffer.from('abc'));
    expect(results).toEqual([[undefined, 'header_not_found']]);
  });
});
