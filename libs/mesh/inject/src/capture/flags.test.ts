import { runCaptureCli } from './cli';
import { captureArgs, parseCaptureFlags } from './flags';
import { DEFAULT_CAPTURE_OPTIONS } from './options';
import { captureScript } from './script';

describe('parseCaptureFlags', () => {
  it('parses the flags the injector writes (istio-iptables style)', () => {
    const o = parseCaptureFlags(['-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020,15000']);
    expect(o).toEqual(DEFAULT_CAPTURE_OPTIONS);
  });

  it('accepts long names and --flag=value; -g defaults to -u', () => {
    const o = parseCaptureFlags(['--envoy-port=16001', '--proxy-uid', '2000', '-i', '10.0.0.0/8,192.168.0.0/16', '-q', '3306', '-o=5432', '-b', '9080']);
    expect(o).toMatchObject({ outboundPort: 16001, proxyUid: 2000, proxyGid: 2000, includeOutboundCidrs: ['10.0.0.0/8', '192.168.0.0/16'], includeOutboundPorts: [3306], excludeOutboundPorts: [5432], includeInboundPorts: [9080] });
  });

  it('rejects unknown flags, missing values, bad numbers and TPROXY', () => {
    const code = { code: 'CAPTURE_BAD_FLAG' };
    expect(() => parseCaptureFlags(['-k'])).toThrow(expect.objectContaining(code));
    expect(() => parseCaptureFlags(['-p'])).toThrow(expect.objectContaining(code));
    expect(() => parseCaptureFlags(['-p', 'abc'])).toThrow(expect.objectContaining(code));
    expect(() => parseCaptureFlags(['-m', 'TPROXY'])).toThrow(expect.objectContaining(code));
    expect(() => parseCaptureFlags(['-x', '1.2.3.4/32;reboot'])).toThrow(expect.objectContaining({ code: 'INJECT_INVALID_CAPTURE' }));
  });

  it('captureArgs is the inverse of parseCaptureFlags', () => {
    const o = { ...DEFAULT_CAPTURE_OPTIONS, proxyGid: 1338, excludeOutboundCidrs: ['169.254.169.254/32'], includeOutboundPorts: [3306], excludeOutboundPorts: [5432] };
    expect(parseCaptureFlags(captureArgs(o))).toEqual(o);
    expect(captureArgs(DEFAULT_CAPTURE_OPTIONS)).toEqual(['-p', '15001', '-z', '15006', '-u', '1337', '-m', 'REDIRECT', '-i', '*', '-x', '', '-b', '*', '-d', '15090,15021,15020,15000']);
  });
});

describe('runCaptureCli', () => {
  it('turns flags into the capture script', () => {
    expect(runCaptureCli(['-p', '15001', '-u', '1337'])).toBe(captureScript(DEFAULT_CAPTURE_OPTIONS));
  });
});
