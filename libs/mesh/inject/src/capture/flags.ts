import { InjectErrorCode, injectError } from '../errors';
import { DEFAULT_CAPTURE_OPTIONS, validateCaptureOptions, type CaptureOptions } from './options';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Field = keyof CaptureOptions;

/** istio-iptables flags we understand: short form, long form, the option it sets. */
const FLAGS: ReadonlyArray<readonly [string, string, Field]> = [
  ['-p', '--envoy-port', 'outboundPort'],
  ['-z', '--inbound-capture-port', 'inboundPort'],
  ['-u', '--proxy-uid', 'proxyUid'],
  ['-g', '--proxy-gid', 'proxyGid'],
  ['-m', '--istio-inbound-interception-mode', 'mode'],
  ['-i', '--istio-service-cidr', 'includeOutboundCidrs'],
  ['-x', '--istio-service-exclude-cidr', 'excludeOutboundCidrs'],
  ['-b', '--istio-inbound-ports', 'includeInboundPorts'],
  ['-d', '--istio-local-exclude-ports', 'excludeInboundPorts'],
  ['-q', '--istio-local-outbound-ports', 'includeOutboundPorts'],
  ['-o', '--istio-local-outbound-ports-exclude', 'excludeOutboundPorts'],
];

function list(value: string): string[] {
  return value.split(',').map((s) => s.trim()).filter(Boolean);
}

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw injectError(InjectErrorCode.badFlag, 'flag expects an integer', { flag, value });
  return Number(value);
}

function ports(flag: string, value: string): number[] {
  return list(value).map((v) => integer(flag, v));
}

function assign(o: Mutable<CaptureOptions>, field: Field, flag: string, value: string): void {
  switch (field) {
    case 'outboundPort': case 'inboundPort': case 'proxyUid': case 'proxyGid':
      o[field] = integer(flag, value); return;
    case 'mode':
      if (value !== 'REDIRECT') throw injectError(InjectErrorCode.badFlag, 'only REDIRECT interception is supported', { flag, value });
      o.mode = value; return;
    case 'includeOutboundCidrs': o.includeOutboundCidrs = value.trim() === '*' ? '*' : list(value); return;
    case 'excludeOutboundCidrs': o.excludeOutboundCidrs = list(value); return;
    case 'includeInboundPorts': o.includeInboundPorts = value.trim() === '*' ? '*' : ports(flag, value); return;
    default: o[field] = ports(flag, value);
  }
}

function splitFlag(arg: string): { name: string; inline: string | undefined } {
  const eq = arg.indexOf('=');
  return eq > 0 ? { name: arg.slice(0, eq), inline: arg.slice(eq + 1) } : { name: arg, inline: undefined };
}

/**
 * Parses istio-iptables-style flags (`-p 15001 -z 15006 -u 1337 -m REDIRECT -i '*' -x "" -b '*' -d 15090,15021`,
 * also `--flag=value`). Missing flags take DEFAULT_CAPTURE_OPTIONS; `-g` defaults to `-u`.
 */
export function parseCaptureFlags(argv: readonly string[]): CaptureOptions {
  const o: Mutable<CaptureOptions> = { ...DEFAULT_CAPTURE_OPTIONS };
  let gidGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const { name, inline } = splitFlag(argv[i] ?? '');
    const spec = FLAGS.find(([short, long]) => name === short || name === long);
    if (!spec) throw injectError(InjectErrorCode.badFlag, 'unknown capture flag', { flag: name });
    const value = inline ?? argv[++i];
    if (value === undefined) throw injectError(InjectErrorCode.badFlag, 'flag expects a value', { flag: name });
    assign(o, spec[2], name, value);
    gidGiven ||= spec[2] === 'proxyGid';
  }
  if (!gidGiven) o.proxyGid = o.proxyUid;
  return validateCaptureOptions(o);
}

/** The inverse of parseCaptureFlags: the init container's args, in istio-iptables order. */
export function captureArgs(o: CaptureOptions): string[] {
  const join = (v: '*' | readonly (string | number)[]): string => (v === '*' ? '*' : v.join(','));
  const args = ['-p', `${o.outboundPort}`, '-z', `${o.inboundPort}`, '-u', `${o.proxyUid}`];
  if (o.proxyGid !== o.proxyUid) args.push('-g', `${o.proxyGid}`);
  args.push('-m', o.mode, '-i', join(o.includeOutboundCidrs), '-x', join(o.excludeOutboundCidrs));
  args.push('-b', join(o.includeInboundPorts), '-d', join(o.excludeInboundPorts));
  if (o.includeOutboundPorts.length > 0) args.push('-q', join(o.includeOutboundPorts));
  if (o.excludeOutboundPorts.length > 0) args.push('-o', join(o.excludeOutboundPorts));
  return args;
}
