import { inspectedFacts } from './inspect-chain';

describe('what the inspectors set (filter_chain_match facts)', () => {
  const both = { tls: true, http: true };
  it('tls_inspector: transport tls, SNI and ALPN; a malformed hello is raw_buffer', () => {
    expect(inspectedFacts({ kind: 'tls', sni: 'a.example.com', alpn: ['h2'] }, both)).toEqual({ transportProtocol: 'tls', serverName: 'a.example.com', applicationProtocols: ['h2'] });
    expect(inspectedFacts({ kind: 'tls', alpn: [], incomplete: 'malformed' }, both)).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: [] });
  });

  it('http_inspector: application protocol http/1.x or h2c; opaque bytes set none', () => {
    expect(inspectedFacts({ kind: 'http1', method: 'GET', protocol: 'http/1.1' }, both)).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: ['http/1.1'] });
    expect(inspectedFacts({ kind: 'h2c' }, both)).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: ['h2c'] });
    expect(inspectedFacts({ kind: 'opaque' }, both)).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: [] });
  });

  it('a listener without the inspector learns nothing from it', () => {
    expect(inspectedFacts({ kind: 'tls', sni: 'a.example.com', alpn: ['h2'] }, { tls: false, http: true })).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: [] });
    expect(inspectedFacts({ kind: 'http1', method: 'GET', protocol: 'http/1.0' }, { tls: true, http: false })).toEqual({ transportProtocol: 'raw_buffer', applicationProtocols: [] });
  });
});
