import { type ChainMatch, type ConnectionFacts, compilePrefix, needsInspection, selectChain } from './chain-match';

const chain = (name: string, match: ChainMatch): { name: string; match: ChainMatch } => ({ name, match });
const pick = (chains: { name: string; match: ChainMatch }[], facts: ConnectionFacts): string | undefined => selectChain(chains, facts)?.name;

describe('filter_chain_match (Envoy order: port → IP → SNI → transport → ALPN)', () => {
  it('prefers an exact destination_port, else the chains without one', () => {
    const chains = [chain('any', {}), chain('9080', { destinationPort: 9080 })];
    expect(pick(chains, { destinationPort: 9080 })).toBe('9080');
    expect(pick(chains, { destinationPort: 3306 })).toBe('any');
    expect(pick([chain('9080', { destinationPort: 9080 })], { destinationPort: 1 })).toBeUndefined();
  });

  it('takes the longest prefix_ranges match, v4 and v6, and a chain without ranges only when none contains the IP', () => {
    const chains = [
      chain('wide', { prefixRanges: [compilePrefix('10.0.0.0', 8)] }),
      chain('narrow', { prefixRanges: [compilePrefix('10.1.0.0', 16), compilePrefix('fd00::', 8)] }),
      chain('rest', {}),
    ];
    expect(pick(chains, { destinationIp: '10.1.2.3' })).toBe('narrow');
    expect(pick(chains, { destinationIp: '10.9.2.3' })).toBe('wide');
    expect(pick(chains, { destinationIp: 'fd00::1' })).toBe('narrow');
    expect(pick(chains, { destinationIp: '192.168.0.1' })).toBe('rest');
    expect(pick(chains, {})).toBe('rest');
  });

  it('rejects unusable prefixes with a reason', () => {
    expect(() => compilePrefix('nope', 8)).toThrow(/not an IP address/);
    expect(() => compilePrefix('10.0.0.0', 33)).toThrow(/out of range/);
  });

  it('matches server_names exact first, then the longest wildcard, then a chain without names', () => {
    const chains = [
      chain('wild', { serverNames: ['*.example.com'] }),
      chain('wilder', { serverNames: ['*.com'] }),
      chain('exact', { serverNames: ['a.example.com'] }),
      chain('none', {}),
    ];
    expect(pick(chains, { serverName: 'A.example.com' })).toBe('exact');
    expect(pick(chains, { serverName: 'b.example.com' })).toBe('wild');
    expect(pick(chains, { serverName: 'example.com' })).toBe('wilder');
    expect(pick(chains, { serverName: 'example.org' })).toBe('none');
    expect(pick(chains, {})).toBe('none');
  });

  it('splits by transport_protocol (raw_buffer when nothing said tls) and by application_protocols', () => {
    const chains = [
      chain('tls', { destinationPort: 9080, transportProtocol: 'tls' }),
      chain('plain', { destinationPort: 9080, transportProtocol: 'raw_buffer' }),
      chain('http', { applicationProtocols: ['http/1.1', 'h2c'] }),
      chain('tcp', {}),
    ];
    expect(pick(chains, { destinationPort: 9080, transportProtocol: 'tls' })).toBe('tls');
    expect(pick(chains, { destinationPort: 9080 })).toBe('plain');
    expect(pick(chains, { destinationPort: 1, applicationProtocols: ['h2c'] })).toBe('http');
    expect(pick(chains, { destinationPort: 1, applicationProtocols: [] })).toBe('tcp');
  });

  it('an earlier criterion wins over a later one: a port match beats an SNI match elsewhere', () => {
    const chains = [chain('sni', { serverNames: ['a.example.com'] }), chain('port', { destinationPort: 443 })];
    expect(pick(chains, { destinationPort: 443, serverName: 'a.example.com' })).toBe('port');
  });

  it('needs the first bytes only when a chain still in the running names SNI or a protocol', () => {
    const chains = [chain('9080', { destinationPort: 9080 }), chain('sni', { serverNames: ['x'] }), chain('fallthrough', {})];
    expect(needsInspection(chains, { destinationPort: 9080 })).toBe(false);
    expect(needsInspection(chains, { destinationPort: 443 })).toBe(true);
    expect(needsInspection([chain('a', {})], { destinationPort: 443 })).toBe(false);
  });
});
