import { cidrContains } from './cidr';

describe('cidrContains', () => {
  it.each([
    ['10.0.0.0/8', '10.1.2.3', true],
    ['10.0.0.0/8', '11.0.0.1', false],
    ['192.0.2.7', '192.0.2.7', true],
    ['192.0.2.0/31', '192.0.2.2', false],
    ['0.0.0.0/0', '8.8.8.8', true],
    ['fd00::/8', 'fd12::1', true],
    ['fd00::/8', 'fe80::1', false],
    ['::1', '::1', true],
    ['10.0.0.0/8', 'fd00::1', false],
    ['10.0.0.0/33', '10.0.0.1', false],
    ['nope/8', '10.0.0.1', false],
  ])('%s ∋ %s: %s', (cidr, ip, expected) => {
    expect(cidrContains(cidr, ip)).toBe(expected);
  });
});
