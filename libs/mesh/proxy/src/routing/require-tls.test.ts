import { isInternalAddress } from '../http/forwarded-proto';
import { compileRequireTls, needsSslRedirect, sslRedirectLocation } from './require-tls';

describe('require_tls (Envoy SslRequirements)', () => {
  it('reads the enum by name or number, NACKs anything else', () => {
    expect([undefined, 'NONE', 'EXTERNAL_ONLY', 'ALL', 2].map((v) => compileRequireTls('vh', v))).toEqual(['NONE', 'NONE', 'EXTERNAL_ONLY', 'ALL', 'ALL']);
    expect(() => compileRequireTls('route config r virtual host v', 'SOME')).toThrow(/virtual host v.*unknown require_tls SOME/);
  });

  it.each([
    ['NONE', 'http', false, false],
    ['ALL', 'http', false, true],
    ['ALL', 'http', true, true],
    ['ALL', 'https', false, false],
    ['EXTERNAL_ONLY', 'http', false, true],
    ['EXTERNAL_ONLY', 'http', true, false],
    ['EXTERNAL_ONLY', 'https', false, false],
  ] as const)('%s, x-forwarded-proto %s, internal %s → redirect %s', (req, proto, internal, expected) => {
    expect(needsSslRedirect(req, { forwardedProto: proto, internal })).toBe(expected);
  });

  it('location: https:// + Host as sent (port kept, as createSslRedirectPath) + path and query', () => {
    expect(sslRedirectLocation('bookinfo.example.com', '/productpage')).toBe('https://bookinfo.example.com/productpage');
    expect(sslRedirectLocation('Bookinfo.example.com:8080', '/a?b=1')).toBe('https://Bookinfo.example.com:8080/a?b=1');
  });

  it('internal addresses: RFC 1918, loopback, unique-local IPv6 (v4-mapped too)', () => {
    for (const a of ['10.1.2.3', '172.16.0.1', '172.31.255.255', '192.168.1.1', '127.0.0.1', '::1', '::ffff:10.0.0.1', 'fd00::1']) expect([a, isInternalAddress(a)]).toEqual([a, true]);
    for (const a of ['8.8.8.8', '172.32.0.1', '192.169.0.1', '2001:db8::1', '::ffff:1.2.3.4']) expect([a, isInternalAddress(a)]).toEqual([a, false]);
  });
});
