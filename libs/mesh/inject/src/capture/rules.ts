import { validateCaptureOptions, type CaptureOptions } from './options';

/** Our chains keep Istio's names so `iptables-save` output reads the same as in an Istio pod. */
export const CAPTURE_CHAINS = ['ISTIO_INBOUND', 'ISTIO_REDIRECT', 'ISTIO_IN_REDIRECT', 'ISTIO_OUTPUT'] as const;

/** HBONE port: never redirected (kept for parity with Istio's rule set). */
const HBONE_PORT = 15008;
/** Source address of the proxy's inbound passthrough connections to the app. */
const INBOUND_PASSTHROUGH_SOURCE = '127.0.0.6/32';

const nat = (rule: string): string => `iptables -t nat ${rule}`;

function inboundRules(o: CaptureOptions): string[] {
  if (o.includeInboundPorts !== '*' && o.includeInboundPorts.length === 0) return [];
  const rules = ['-A PREROUTING -p tcp -j ISTIO_INBOUND'];
  if (o.includeInboundPorts === '*') {
    rules.push('-A ISTIO_INBOUND -p tcp -j ISTIO_IN_REDIRECT');
  } else {
    for (const port of o.includeInboundPorts) rules.push(`-A ISTIO_INBOUND -p tcp --dport ${port} -j ISTIO_IN_REDIRECT`);
  }
  return rules;
}

function ownerRules(kind: 'uid' | 'gid', id: number): string[] {
  return [
    `-A ISTIO_OUTPUT -o lo ! -d 127.0.0.1/32 -p tcp ! --dport ${HBONE_PORT} -m owner --${kind}-owner ${id} -j ISTIO_IN_REDIRECT`,
    `-A ISTIO_OUTPUT -o lo -m owner ! --${kind}-owner ${id} -j RETURN`,
    `-A ISTIO_OUTPUT -m owner --${kind}-owner ${id} -j RETURN`,
  ];
}

function outboundRules(o: CaptureOptions): string[] {
  const rules = ['-A OUTPUT -j ISTIO_OUTPUT'];
  // Port exclusions must come before connections back to self are redirected.
  for (const port of o.excludeOutboundPorts) rules.push(`-A ISTIO_OUTPUT -p tcp --dport ${port} -j RETURN`);
  rules.push(`-A ISTIO_OUTPUT -o lo -s ${INBOUND_PASSTHROUGH_SOURCE} -j RETURN`);
  rules.push(...ownerRules('uid', o.proxyUid), ...ownerRules('gid', o.proxyGid));
  rules.push('-A ISTIO_OUTPUT -d 127.0.0.1/32 -j RETURN');
  for (const cidr of o.excludeOutboundCidrs) rules.push(`-A ISTIO_OUTPUT -d ${cidr} -j RETURN`);
  for (const port of o.includeOutboundPorts) rules.push(`-A ISTIO_OUTPUT -p tcp --dport ${port} -j ISTIO_REDIRECT`);
  if (o.includeOutboundCidrs === '*') {
    rules.push('-A ISTIO_OUTPUT -j ISTIO_REDIRECT');
  } else {
    for (const cidr of o.includeOutboundCidrs) rules.push(`-A ISTIO_OUTPUT -d ${cidr} -j ISTIO_REDIRECT`);
  }
  return rules;
}

/**
 * The nat-table rule set of istio-iptables in REDIRECT mode (mesh-internals §3.5), as `iptables -t nat …`
 * commands in execution order. Pure; throws `INJECT_INVALID_CAPTURE` on malformed ports/CIDRs.
 */
export function captureRules(options: CaptureOptions): string[] {
  const o = validateCaptureOptions(options);
  const rules = CAPTURE_CHAINS.map((chain) => `-N ${chain}`);
  rules.push(`-A ISTIO_INBOUND -p tcp --dport ${HBONE_PORT} -j RETURN`);
  if (o.includeInboundPorts === '*') {
    for (const port of o.excludeInboundPorts) rules.push(`-A ISTIO_INBOUND -p tcp --dport ${port} -j RETURN`);
  }
  rules.push(`-A ISTIO_REDIRECT -p tcp -j REDIRECT --to-ports ${o.outboundPort}`);
  rules.push(`-A ISTIO_IN_REDIRECT -p tcp -j REDIRECT --to-ports ${o.inboundPort}`);
  rules.push(...inboundRules(o), ...outboundRules(o));
  return rules.map(nat);
}
