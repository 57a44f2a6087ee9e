import { decodeDiscoveryRequest, encodeDiscoveryRequestGeneric, type DiscoveryRequest } from './discovery';
import { writeDiscoveryRequest } from './request-wire';
import { readDiscoveryResponse } from './response-read';
import { writeDiscoveryResponse } from './response-wire';
import { TYPE_URLS } from './type-urls';
import { SIDECAR_NODE } from '../testing/fixtures';

/** proto3 semantics: an empty string is the default, written or not (protobufjs writes the ones given). */
function withoutEmptyStrings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyStrings);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== '').map(([k, v]) => [k, withoutEmptyStrings(v)]));
}

describe('hand-written DiscoveryRequest encoding', () => {
  const first: DiscoveryRequest = {
    type_url: TYPE_URLS.CDS,
    resource_names: ['outbound|9080||reviews.default.svc.cluster.local', 'ünïcode'],
    node: {
      ...SIDECAR_NODE,
      user_agent_name: 'trellis-proxy',
      locality: { region: 'r1', zone: 'z1', sub_zone: '' },
      metadata: { ...SIDECAR_NODE.metadata, PORTS: [9080, 15090], ENABLED: true, NOTHING: null, NESTED: { a: { b: [1.5, 'x', false] } } },
    },
  };
  const nack: DiscoveryRequest = { type_url: TYPE_URLS.LDS, version_info: '2026-12-05T19:00:00Z/7', response_nonce: 'n-3', error_detail: { code: 3, message: 'listener l1: unknown typed_config' } };

  it.each([
    ['first request with node metadata', first],
    ['NACK', nack],
    ['ACK of empty strings', { type_url: TYPE_URLS.EDS, version_info: '', response_nonce: '' }],
  ])('decodes with protobufjs to what protobufjs itself would have encoded (%s)', (_name, request) => {
    const decoded = decodeDiscoveryRequest(writeDiscoveryRequest(request));
    expect(decoded).toEqual(withoutEmptyStrings(decodeDiscoveryRequest(encodeDiscoveryRequestGeneric(request))));
    expect(decoded).toMatchObject({ type_url: request.type_url });
  });

  it('carries node metadata as a Struct that reads back as the same JSON', () => {
    expect(decodeDiscoveryRequest(writeDiscoveryRequest(first)).node?.metadata).toEqual(first.node?.metadata);
    expect(decodeDiscoveryRequest(writeDiscoveryRequest(nack)).error_detail).toEqual({ code: 3, message: 'listener l1: unknown typed_config' });
  });
});

describe('hand-written DiscoveryResponse reading', () => {
  it('reads back what the server writes, resources as views of their bytes', () => {
    const resources = [{ type_url: TYPE_URLS.CDS, value: Buffer.from([0x0a, 0x01, 0x61]) }, { type_url: TYPE_URLS.CDS, value: Buffer.alloc(0) }];
    const response = { version_info: 'v1', resources, type_url: TYPE_URLS.CDS, nonce: 'n1', control_plane: { identifier: 'trellis' } };
    const read = readDiscoveryResponse(writeDiscoveryResponse(response));
    expect(read).toEqual({ version_info: 'v1', resources, type_url: TYPE_URLS.CDS, nonce: 'n1' });
  });

  it('rejects a truncated response with the message type named', () => {
    const bytes = writeDiscoveryResponse({ version_info: 'v1', resources: [], type_url: TYPE_URLS.LDS, nonce: 'n1' });
    expect(() => readDiscoveryResponse(bytes.subarray(0, bytes.length - 1))).toThrow(expect.objectContaining({ code: 'XDS_DECODE_FAILED', context: expect.objectContaining({ type: 'envoy.service.discovery.v3.DiscoveryResponse' }) }));
  });
});
