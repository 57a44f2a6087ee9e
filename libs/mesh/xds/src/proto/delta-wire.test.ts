import { decodeMessage, packResource } from './codec';
import { decodeDeltaDiscoveryRequest, encodeDeltaDiscoveryRequestGeneric } from './discovery';
import { readDeltaDiscoveryResponse, writeDeltaDiscoveryRequest, writeDeltaDiscoveryResponse, type DeltaBody } from './delta-wire';
import { grpcFramed } from './response-wire';
import { TYPE_URLS } from './type-urls';
import { SIDECAR_NODE, edsCluster } from '../testing/fixtures';

describe('delta ADS messages written by hand', () => {
  const request = {
    node: SIDECAR_NODE,
    type_url: TYPE_URLS.EDS,
    resource_names_subscribe: ['a', 'b'],
    resource_names_unsubscribe: ['c'],
    initial_resource_versions: { a: '1', b: '2' },
    response_nonce: 'n1',
    error_detail: { code: 3, message: 'bad' },
  };

  it('writes DeltaDiscoveryRequest as protobufjs does, and the server decodes it back', () => {
    const bytes = writeDeltaDiscoveryRequest(request);
    expect(bytes.equals(encodeDeltaDiscoveryRequestGeneric(request))).toBe(true);
    expect(decodeDeltaDiscoveryRequest(bytes)).toMatchObject({ ...request, node: { id: SIDECAR_NODE.id } });
  });

  it('writes DeltaDiscoveryResponse (framed once, shared) and reads it back; protobufjs agrees', () => {
    const any = packResource(TYPE_URLS.CDS, edsCluster('c1'));
    const body: DeltaBody = { entries: [{ name: 'c1', version: 'v1', any }], removed: ['gone'] };
    const fields = { system_version_info: 'sys', type_url: TYPE_URLS.CDS, nonce: 'n', body };
    const bytes = writeDeltaDiscoveryResponse(fields);
    expect(writeDeltaDiscoveryResponse({ ...fields })).toBe(bytes); // same body and key: the same buffer
    expect(grpcFramed(bytes)?.subarray(5).equals(bytes)).toBe(true);
    const read = readDeltaDiscoveryResponse(bytes);
    expect(read).toMatchObject({ system_version_info: 'sys', type_url: TYPE_URLS.CDS, nonce: 'n', removed_resources: ['gone'] });
    expect(read.resources.map((r) => [r.name, r.version, r.resource.type_url, Buffer.from(r.resource.value).equals(any.value)])).toEqual([['c1', 'v1', TYPE_URLS.CDS, true]]);
    const generic = decodeMessage('envoy.service.discovery.v3.DeltaDiscoveryResponse', bytes);
    expect(generic).toMatchObject({ system_version_info: 'sys', nonce: 'n', removed_resources: ['gone'], resources: [{ name: 'c1', version: 'v1' }] });
  });

  it('rejects a truncated response with a typed error', () => {
    expect(() => readDeltaDiscoveryResponse(Buffer.from([0x12, 0x10, 0x0a]))).toThrow(
      expect.objectContaining({ code: 'XDS_DECODE_FAILED', context: expect.objectContaining({ type: 'envoy.service.discovery.v3.DeltaDiscoveryResponse' }) }),
    );
  });
});
