import type { CidrRange, HeaderMatcher, PathMatcher, StringMatcher } from '@trellis/mesh-envoy';
import { compileCidr } from './cidr';
import { type Cond, leafCond } from './cond';
import { RbacConfigError } from './errors';
import { type CompiledString, compileString, headerStringMatcher, showPrincipal } from './string-match';

/** Single-attribute matchers: headers, path, addresses, port, SNI, the peer's identity. */

const PSEUDO_SUBJECTS: Readonly<Record<string, string>> = { ':method': 'method', ':path': 'path', ':authority': 'host', ':scheme': 'scheme' };
const NOT_HTTP = (subject: string) => `${subject}: not an HTTP request (TCP connection)`;

/** A HeaderMatcher's value test: `string_match` or a legacy `*_match` (undefined = presence only). */
function headerString(policy: string, h: HeaderMatcher): CompiledString | undefined {
  const sm = headerStringMatcher(h);
  return sm === undefined ? undefined : compileString(policy, sm);
}

/** envoy.config.route.v3.HeaderMatcher; a missing header fails a value match before inversion. */
export function headerCond(policy: string, h: HeaderMatcher): Cond {
  if (typeof h.name !== 'string' || h.name === '') throw new RbacConfigError(policy, 'header matcher without name');
  const name = h.name.toLowerCase();
  const invert = h.invert_match === true;
  const value = headerString(policy, h);
  const present = value !== undefined || h.present_match !== false;
  const base = (v: string | undefined): boolean => (value === undefined ? (v !== undefined) === present : v !== undefined && value.test(v));
  const subject = PSEUDO_SUBJECTS[name] ?? `header ${name}`;
  const shown = value?.text ?? (present ? '(present)' : '(absent)');
  return leafCond(
    {
      subject,
      verb: name === ':method' ? 'in' : 'match',
      want: invert ? `not ${shown}` : shown,
      actual: (i) => (i.header === undefined ? undefined : i.header(name) ?? '(absent)'),
      missing: () => NOT_HTTP(subject),
    },
    (i) => i.header !== undefined && base(i.header(name)) !== invert,
  );
}

/** envoy.type.matcher.v3.PathMatcher on the path without query. */
export function urlPathCond(policy: string, p: PathMatcher): Cond {
  const m = compileString(policy, p.path);
  return leafCond(
    { subject: 'path', verb: 'match', want: m.text, actual: (i) => i.path, missing: () => NOT_HTTP('path') },
    (i) => i.path !== undefined && m.test(i.path),
  );
}

type IpField = 'sourceIp' | 'remoteIp' | 'destinationIp';
const IP_SUBJECTS: Readonly<Record<IpField, string>> = { sourceIp: 'source ip', remoteIp: 'remote ip', destinationIp: 'destination ip' };

export function ipCond(policy: string, field: IpField, r: CidrRange): Cond {
  const cidr = compileCidr(policy, r);
  return leafCond(
    { subject: IP_SUBJECTS[field], verb: 'match', want: cidr.text, actual: (i) => i[field], missing: () => `no ${IP_SUBJECTS[field]}` },
    (i) => cidr.test(i[field]),
  );
}

export function portCond(policy: string, port: unknown): Cond {
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RbacConfigError(policy, `destination_port ${JSON.stringify(port)} is not a port`);
  }
  return leafCond(
    { subject: 'port', verb: 'in', want: String(port), actual: (i) => String(i.destinationPort), missing: () => 'no destination port' },
    (i) => i.destinationPort === port,
  );
}

export function sniCond(policy: string, sm: StringMatcher): Cond {
  const m = compileString(policy, sm);
  return leafCond(
    { subject: 'sni', verb: 'match', want: m.text, actual: (i) => (i.sni === undefined || i.sni === '' ? '(none)' : i.sni), missing: () => 'no SNI' },
    (i) => m.test(i.sni ?? ''),
  );
}

export const NO_PEER_CERT = 'no peer certificate (mTLS required for principals)';

/** `authenticated`: a verified peer certificate, and its URI SAN (else subject) matching `principal_name` if set. */
export function authenticatedCond(policy: string, principalName: StringMatcher | undefined): Cond {
  const m = principalName === undefined ? undefined : compileString(policy, principalName);
  const strip = m?.spiffe === true;
  return leafCond(
    {
      subject: 'principal',
      verb: 'match',
      want: m?.text ?? '*',
      actual: (i) => (i.authenticated ? showPrincipal(i.principal ?? '', strip) : undefined),
      missing: () => NO_PEER_CERT,
    },
    m === undefined ? (i) => i.authenticated : (i) => i.authenticated && m.test(i.principal ?? ''),
  );
}
