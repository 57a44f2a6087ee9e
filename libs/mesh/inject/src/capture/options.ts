import { InjectErrorCode, injectError } from '../errors';

/** Inputs of the istio-iptables-style capture rule set (REDIRECT mode only). */
export interface CaptureOptions {
  /** Proxy uid (`-u`); its traffic bypasses capture. The app must never run as this uid. */
  readonly proxyUid: number;
  /** Proxy gid (`-g`); defaults to the uid. */
  readonly proxyGid: number;
  /** Outbound capture port (`-p`, 15001). */
  readonly outboundPort: number;
  /** Inbound capture port (`-z`, 15006). */
  readonly inboundPort: number;
  /** `-m`; only REDIRECT is implemented (TPROXY needs IP_TRANSPARENT in the proxy). */
  readonly mode: 'REDIRECT';
  /** `-i`: `'*'` (all), or CIDRs to capture; `[]` captures no outbound traffic. */
  readonly includeOutboundCidrs: '*' | readonly string[];
  /** `-x`: CIDRs never captured. */
  readonly excludeOutboundCidrs: readonly string[];
  /** `-b`: `'*'` (all) or the inbound ports to capture; `[]` captures no inbound traffic. */
  readonly includeInboundPorts: '*' | readonly number[];
  /** `-d`: inbound ports never captured (only meaningful with `'*'`). */
  readonly excludeInboundPorts: readonly number[];
  /** `-q`: extra outbound ports always captured (even to excluded CIDRs). */
  readonly includeOutboundPorts: readonly number[];
  /** `-o`: outbound ports never captured. */
  readonly excludeOutboundPorts: readonly number[];
}

/** Admin 15000, status 15020 (Istio's agent port, kept for compatibility), health 15021, Prometheus 15090. */
export const DEFAULT_EXCLUDED_INBOUND_PORTS: readonly number[] = [15090, 15021, 15020, 15000];

export const DEFAULT_CAPTURE_OPTIONS: CaptureOptions = {
  proxyUid: 1337,
  proxyGid: 1337,
  outboundPort: 15001,
  inboundPort: 15006,
  mode: 'REDIRECT',
  includeOutboundCidrs: '*',
  excludeOutboundCidrs: [],
  includeInboundPorts: '*',
  excludeInboundPorts: DEFAULT_EXCLUDED_INBOUND_PORTS,
  includeOutboundPorts: [],
  excludeOutboundPorts: [],
};

const CIDR = /^(\d{1,3}\.){3}\d{1,3}(\/(\d|[12]\d|3[0-2]))?$/;

function checkPort(port: number, field: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw injectError(InjectErrorCode.invalidCapture, 'invalid port in capture options', { field, value: port });
  }
}

function checkCidr(cidr: string, field: string): void {
  const valid = CIDR.test(cidr) && (cidr.split('/')[0] ?? '').split('.').every((octet) => Number(octet) <= 255);
  if (!valid) throw injectError(InjectErrorCode.invalidCapture, 'invalid IPv4 CIDR in capture options', { field, value: cidr });
}

/** Throws `INJECT_INVALID_CAPTURE` unless every port and CIDR is well formed (they end up in a shell script). */
export function validateCaptureOptions(o: CaptureOptions): CaptureOptions {
  checkPort(o.outboundPort, 'outboundPort');
  checkPort(o.inboundPort, 'inboundPort');
  for (const [field, id] of [['proxyUid', o.proxyUid], ['proxyGid', o.proxyGid]] as const) {
    if (!Number.isInteger(id) || id < 0) throw injectError(InjectErrorCode.invalidCapture, 'invalid uid/gid in capture options', { field, value: id });
  }
  if (o.mode !== 'REDIRECT') throw injectError(InjectErrorCode.invalidCapture, 'only REDIRECT interception is supported', { value: o.mode });
  const ports: Array<[string, readonly number[]]> = [
    ['includeInboundPorts', o.includeInboundPorts === '*' ? [] : o.includeInboundPorts],
    ['excludeInboundPorts', o.excludeInboundPorts],
    ['includeOutboundPorts', o.includeOutboundPorts],
    ['excludeOutboundPorts', o.excludeOutboundPorts],
  ];
  for (const [field, list] of ports) list.forEach((p) => checkPort(p, field));
  const cidrs: Array<[string, readonly string[]]> = [
    ['includeOutboundCidrs', o.includeOutboundCidrs === '*' ? [] : o.includeOutboundCidrs],
    ['excludeOutboundCidrs', o.excludeOutboundCidrs],
  ];
  for (const [field, list] of cidrs) list.forEach((c) => checkCidr(c, field));
  return o;
}
