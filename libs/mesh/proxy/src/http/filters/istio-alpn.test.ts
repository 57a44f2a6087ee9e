import { ISTIO_ALPN_TYPE } from '@trellis/mesh-envoy';
import type { TypedConfig } from '../../config/envoy-types';
import { compileIstioAlpn, istioAlpnFilter } from './istio-alpn';

/** istiod's config (pilot/pkg/xds/filters `Alpn`) as the proxy decodes it: HTTP10 is proto3's zero, so absent. */
const ISTIOD: TypedConfig = {
  '@type': ISTIO_ALPN_TYPE,
  alpn_override: [
    { alpn_override: ['istio-http/1.0', 'istio', 'http/1.0'] },
    { upstream_protocol: 'HTTP11', alpn_override: ['istio-http/1.1', 'istio', 'http/1.1'] },
    { upstream_protocol: 'HTTP2', alpn_override: ['istio-h2', 'istio', 'h2'] },
  ],
};

const lists = (config: TypedConfig): Record<string, readonly string[] | undefined> => {
  const o = compileIstioAlpn('LDS x', config);
  return { http10: o.http10?.protocols, http11: o.http11?.protocols, http2: o.http2?.protocols };
};

describe('istio.alpn config', () => {
  it("compiles istiod's overrides per upstream protocol (unset upstream_protocol = HTTP10)", () => {
    expect(lists(ISTIOD)).toEqual({
      http10: ['istio-http/1.0', 'istio', 'http/1.0'],
      http11: ['istio-http/1.1', 'istio', 'http/1.1'],
      http2: ['istio-h2', 'istio', 'h2'],
    });
    expect(compileIstioAlpn('LDS x', ISTIOD).http11?.key).toBe('istio-http/1.1,istio,http/1.1');
  });

  it('first entry per protocol wins; empty lists and an empty config override nothing', () => {
    const config = { '@type': ISTIO_ALPN_TYPE, alpn_override: [{ upstream_protocol: 'HTTP2', alpn_override: [] }, { upstream_protocol: 'HTTP11', alpn_override: ['a'] }, { upstream_protocol: 'HTTP11', alpn_override: ['b'] }] };
    expect(lists(config)).toEqual({ http10: undefined, http11: ['a'], http2: undefined });
    expect(lists({ '@type': ISTIO_ALPN_TYPE })).toEqual({ http10: undefined, http11: undefined, http2: undefined });
  });

  it('NACKs an unknown protocol or a malformed list, naming the field', () => {
    expect(() => compileIstioAlpn('LDS x', { '@type': ISTIO_ALPN_TYPE, alpn_override: [{ upstream_protocol: 'HTTP3', alpn_override: ['h3'] }] })).toThrow(
      'LDS x: alpn_override[0].upstream_protocol HTTP3 unknown',
    );
    expect(() => compileIstioAlpn('LDS x', { '@type': ISTIO_ALPN_TYPE, alpn_override: [{ alpn_override: [''] }] })).toThrow('alpn_override[0].alpn_override must be a list of protocol names');
  });

  it('the filter hands the one compiled override to every request and continues', () => {
    const f = istioAlpnFilter.create('LDS x', 'istio.alpn', ISTIOD, {} as never);
    const a = { upstreamAlpn: undefined } as { upstreamAlpn: unknown };
    const b = { upstreamAlpn: undefined } as { upstreamAlpn: unknown };
    expect([f.decodeHeaders(a as never), f.decodeHeaders(b as never)]).toEqual(['continue', 'continue']);
    expect(a.upstreamAlpn).toBe(b.upstreamAlpn);
    expect((a.upstreamAlpn as { http11: { protocols: string[] } }).http11.protocols).toEqual(['istio-http/1.1', 'istio', 'http/1.1']);
  });
});
