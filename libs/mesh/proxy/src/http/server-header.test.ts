import { ENVOY_SERVER_HEADER, compileServerHeader, setServerHeader } from './server-header';
import { HCM_TYPE } from '@trellis/mesh-envoy';

describe('server header (server_name / server_header_transformation)', () => {
  const hcm = (extra: object): Parameters<typeof compileServerHeader>[0] => ({ '@type': HCM_TYPE, ...extra });
  const apply = (extra: object, upstream: Record<string, unknown>): unknown => {
    const h = { ...upstream };
    setServerHeader(compileServerHeader(hcm(extra)), h);
    return h['server'];
  };

  it("overwrites with Envoy's `envoy` by default, and with istiod's istio-envoy when named", () => {
    expect(compileServerHeader(hcm({}))).toBe(ENVOY_SERVER_HEADER);
    expect(apply({}, { server: 'gunicorn' })).toBe('envoy');
    expect(apply({ server_name: 'istio-envoy' }, { server: 'gunicorn' })).toBe('istio-envoy');
    expect(apply({ server_name: 'istio-envoy' }, {})).toBe('istio-envoy');
  });

  it('APPEND_IF_ABSENT keeps the upstream’s; PASS_THROUGH never sets one (local replies get none)', () => {
    expect(apply({ server_header_transformation: 'APPEND_IF_ABSENT' }, { server: 'gunicorn' })).toBe('gunicorn');
    expect(apply({ server_header_transformation: 'APPEND_IF_ABSENT' }, {})).toBe('envoy');
    expect(apply({ server_header_transformation: 'PASS_THROUGH' }, { server: 'gunicorn' })).toBe('gunicorn');
    expect(apply({ server_header_transformation: 'PASS_THROUGH' }, {})).toBeUndefined();
  });
});
