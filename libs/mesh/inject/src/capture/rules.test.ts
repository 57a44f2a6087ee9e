import { DEFAULT_CAPTURE_OPTIONS } from './options';
import { captureRules } from './rules';
import { captureScript } from './script';

const ipt = (rule: string): string => `iptables -t nat ${rule}`;

describe('captureRules', () => {
  it('default REDIRECT rule set (golden, mesh-internals §3.5)', () => {
    expect(captureRules(DEFAULT_CAPTURE_OPTIONS)).toEqual([
      '-N ISTIO_INBOUND',
      '-N ISTIO_REDIRECT',
      '-N ISTIO_IN_REDIRECT',
      '-N ISTIO_OUTPUT',
      '-A ISTIO_INBOUND -p tcp --dport 15008 -j RETURN',
      '-A ISTIO_INBOUND -p tcp --dport 15090 -j RETURN',
      '-A ISTIO_INBOUND -p tcp --dport 15021 -j RETURN',
      '-A ISTIO_INBOUND -p tcp --dport 15020 -j RETURN',
      '-A ISTIO_INBOUND -p tcp --dport 15000 -j RETURN',
      '-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001',
      '-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006',
      '-A PREROUTING -p tcp -j ISTIO_INBOUND',
      '-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT',
      '-A OUTPUT -j ISTIO_OUTPUT',
      '-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN',
      '-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -p tcp ! --dport 15008 -m owner --uid-owner 1337 -j ISTIO_IN_REDIRECT',
      '-A ISTIO_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN',
      '-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
      '-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -p tcp ! --dport 15008 -m owner --gid-owner 1337 -j ISTIO_IN_REDIRECT',
      '-A ISTIO_OUTPUT -o lo -m owner ! --gid-owner 1337 -j RETURN',
      '-A ISTIO_OUTPUT -m owner --gid-owner 1337 -j RETURN',
      '-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN',
      '-A ISTIO_OUTPUT -j ISTIO_REDIRECT',
    ].map(ipt));
  });

  it('with excludes, included ports and CIDRs (golden)', () => {
    const rules = captureRules({
      ...DEFAULT_CAPTURE_OPTIONS,
      proxyGid: 1338,
      includeOutboundCidrs: ['10.96.0.0/12'],
      excludeOutboundCidrs: ['169.254.169.254/32'],
      excludeInboundPorts: [22],
      includeOutboundPorts: [3306],
      excludeOutboundPorts: [5432, 6379],
    });
    expect(rules).toEqual([
      '-N ISTIO_INBOUND',
      '-N ISTIO_REDIRECT',
      '-N ISTIO_IN_REDIRECT',
      '-N ISTIO_OUTPUT',
      '-A ISTIO_INBOUND -p tcp --dport 15008 -j RETURN',
      '-A ISTIO_INBOUND -p tcp --dport 22 -j RETURN',
      '-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports 15001',
      '-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports 15006',
      '-A PREROUTING -p tcp -j ISTIO_INBOUND',
      '-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT',
      '-A OUTPUT -j ISTIO_OUTPUT',
      '-A ISTIO_OUTPUT -p tcp --dport 5432 -j RETURN',
      '-A ISTIO_OUTPUT -p tcp --dport 6379 -j RETURN',
      '-A ISTIO_OUTPUT -o lo -s 127.0.0.6/32 -j RETURN',
      '-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -p tcp ! --dport 15008 -m owner --uid-owner 1337 -j ISTIO_IN_REDIRECT',
      '-A ISTIO_OUTPUT -o lo -m owner ! --uid-owner 1337 -j RETURN',
      '-A ISTIO_OUTPUT -m owner --uid-owner 1337 -j RETURN',
      '-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -p tcp ! --dport 15008 -m owner --gid-owner 1338 -j ISTIO_IN_REDIRECT',
      '-A ISTIO_OUTPUT -o lo -m owner ! --gid-owner 1338 -j RETURN',
      '-A ISTIO_OUTPUT -m owner --gid-owner 1338 -j RETURN',
      '-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN',
      '-A ISTIO_OUTPUT -d 169.254.169.254/32 -j RETURN',
      '-A ISTIO_OUTPUT -p tcp --dport 3306 -j ISTIO_REDIRECT',
      '-A ISTIO_OUTPUT -d 10.96.0.0/12 -j ISTIO_REDIRECT',
    ].map(ipt));
  });

  it('explicit inbound ports jump per port; an empty list installs no inbound capture', () => {
    const listed = captureRules({ ...DEFAULT_CAPTURE_OPTIONS, includeInboundPorts: [9080, 9443] });
    expect(listed).toContain(ipt('-A ISTIO_INBOUND -p tcp --dport 9080 -j ISTIO_IN_REDIRECT'));
    expect(listed).not.toContain(ipt('-A ISTIO_INBOUND -p tcp --dport 15090 -j RETURN'));
    const none = captureRules({ ...DEFAULT_CAPTURE_OPTIONS, includeInboundPorts: [] });
    expect(none.some((r) => r.includes('PREROUTING'))).toBe(false);
  });

  it('rejects values that would not be safe in a shell script', () => {
    expect(() => captureRules({ ...DEFAULT_CAPTURE_OPTIONS, excludeOutboundCidrs: ['1.2.3.4/32; rm -rf /'] })).toThrow(
      expect.objectContaining({ code: 'INJECT_INVALID_CAPTURE' }),
    );
    expect(() => captureRules({ ...DEFAULT_CAPTURE_OPTIONS, excludeInboundPorts: [70000] })).toThrow(expect.objectContaining({ code: 'INJECT_INVALID_CAPTURE' }));
    expect(() => captureRules({ ...DEFAULT_CAPTURE_OPTIONS, excludeOutboundCidrs: ['300.1.1.1/8'] })).toThrow();
  });
});

describe('captureScript', () => {
  const script = captureScript(DEFAULT_CAPTURE_OPTIONS);

  it('cleans up before installing, so it can run again', () => {
    const lines = script.split('\n');
    const setE = lines.indexOf('set -e');
    expect(lines[0]).toBe('#!/bin/sh');
    expect(lines.slice(0, setE)).toEqual(expect.arrayContaining([
      'while iptables -t nat -D PREROUTING -p tcp -j ISTIO_INBOUND 2>/dev/null; do :; done',
      'while iptables -t nat -D OUTPUT -j ISTIO_OUTPUT 2>/dev/null; do :; done',
      'iptables -t nat -F ISTIO_OUTPUT 2>/dev/null || true',
      'iptables -t nat -X ISTIO_OUTPUT 2>/dev/null || true',
    ]));
    expect(lines.slice(setE + 1, setE + 1 + captureRules(DEFAULT_CAPTURE_OPTIONS).length)).toEqual(captureRules(DEFAULT_CAPTURE_OPTIONS));
  });

  it('flushes every chain before deleting any (chains reference each other)', () => {
    const lastFlush = script.lastIndexOf(' -F ');
    const firstDelete = script.indexOf(' -X ');
    expect(lastFlush).toBeLessThan(firstDelete);
  });
});
