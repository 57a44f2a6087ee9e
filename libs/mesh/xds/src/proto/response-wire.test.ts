import { decodeMessage, packResource } from './codec';
import { decodeDiscoveryResponse, encodeDiscoveryResponse, encodeDiscoveryResponseGeneric, type DiscoveryResponse } from './discovery';
import { TYPE_URLS } from './type-urls';

const cluster = (name: string): Record<string, unknown> => ({ name, type: 'EDS', connect_timeout: '10s', eds_cluster_config: { service_name: name } });

function response(over: Partial<DiscoveryResponse> = {}): DiscoveryResponse {
  // Long enough names that Any lengths and the resources field need multi-byte varints.
  const resources = Array.from({ length: 40 }, (_, i) => packResource(TYPE_URLS.CDS, cluster(`outbound|9080||svc-${i}.default.svc.cluster.local`)));
  return { version_info: 'a1b2c3d4e5f60718', resources, type_url: TYPE_URLS.CDS, nonce: '0b7c6f0e-3c1f-4a55-9a0e-0d6c5b0f0f0f', ...over };
}

describe('hand-written DiscoveryResponse encoding', () => {
  it('is byte-for-byte what protobufjs writes for the same message', () => {
    const r = response({ control_plane: { identifier: 'trellis-control-plane' } });
    expect(encodeDiscoveryResponse(r).equals(encodeDiscoveryResponseGeneric(r))).toBe(true);
  });

  it('decodes back to the same response, empty resource list and empty strings included', () => {
    for (const r of [response(), response({ resources: [], version_info: '' })]) {
      const back = decodeDiscoveryResponse(encodeDiscoveryResponse(r));
      expect(back).toEqual({ version_info: r.version_info, type_url: r.type_url, nonce: r.nonce, resources: r.resources.map((a) => ({ type_url: a.type_url, value: a.value })) });
    }
  });

  it('shares the resources bytes between responses with the same list and differs only by nonce', () => {
    const r = response();
    const a = encodeDiscoveryResponse(r);
    const b = encodeDiscoveryResponse({ ...r, nonce: 'another-nonce' });
    expect(decodeMessage('envoy.service.discovery.v3.DiscoveryResponse', b)['nonce']).toBe('another-nonce');
    expect(a.length - r.nonce.length).toBe(b.length - 'another-nonce'.length);
  });
});
