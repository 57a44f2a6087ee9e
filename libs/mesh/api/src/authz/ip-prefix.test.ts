import { parseIpPrefix } from './ip-prefix';

describe('parseIpPrefix (Go netip as istiod parses AuthorizationPolicy addresses)', () => {
  it.each([
    ['1.2.3.4', '1.2.3.4', 32],
    ['5.6.0.0/16', '5.6.0.0', 16],
    ['10.1.2.3/8', '10.1.2.3', 8],
    ['0.0.0.0/0', '0.0.0.0', 0],
    ['fd00::1', 'fd00::1', 128],
    ['2001:DB8:0:0:0:0:0:1/64', '2001:db8::1', 64],
    ['::', '::', 128],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3', 128],
    ['::ffff:1.2.3.4', '::ffff:1.2.3.4', 128],
  ])('%s → %s/%d', (text, address, prefixLen) => {
    expect(parseIpPrefix(text)).toMatchObject({ address, prefixLen });
  });

  it.each(['', '1.2.3', '1.2.3.256', '01.2.3.4', '1.2.3.4/33', '1.2.3.4/', '1.2.3.4/01', 'fd00::1::2', 'fd00::/129', 'abc', '1:2:3:4:5:6:7', 'fe80::1%eth0', 'example.com'])(
    'rejects %j',
    (text) => {
      expect(parseIpPrefix(text)).toBeUndefined();
    },
  );
});
