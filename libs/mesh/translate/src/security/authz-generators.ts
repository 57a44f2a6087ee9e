import { parseIpPrefix } from '@trellis/mesh-api';
import type { CidrRange, Permission, Principal, StringMatcher, ValueMatcher } from '@trellis/mesh-envoy';
import {
  headerMatcher,
  hostMatcher,
  jwtClaimMatcher,
  jwtClaimsListMatcher,
  metadataMatcher,
  orMatcher,
  prefixMatcher,
  quoteMeta,
  regexMatcher,
  stringMatcher,
  stringOrMatcher,
  suffixMatcher,
  exactMatcher,
} from './authz-matchers';

/**
 * istiod's generators (pilot/pkg/security/authz/model/generator.go): one Istio attribute value (or,
 * for the "extended" ones, all values at once) → an RBAC Permission or Principal. A value that cannot
 * be expressed returns a `Skip` with istiod's reason: on a TCP chain every HTTP-only attribute, a bad
 * address or port. What a skip means (the rule dropped for ALLOW, the value ignored for DENY/AUDIT)
 * is decided in authz-model.ts.
 */

export interface Skip {
  readonly skip: string;
}
export const isSkip = (v: object): v is Skip => 'skip' in v;

export type OneGen<T> = (key: string, value: string, forTCP: boolean) => T | Skip;
export type ManyGen<T> = (key: string, values: readonly string[], forTCP: boolean) => T | Skip;

const SPIFFE_PREFIX = 'spiffe://';
const httpOnly = (key: string): Skip => ({ skip: `"${key}" is HTTP only` });

export function cidr(value: string): CidrRange | Skip {
  const p = parseIpPrefix(value);
  return p === undefined ? { skip: `invalid address ${value}` } : { address_prefix: p.address, prefix_len: { value: p.prefixLen } };
}

const authenticated = (m: Principal['authenticated']): Principal => ({ authenticated: m });

// ── principals ────────────────────────────────────────────────────────────────
export const srcIp: OneGen<Principal> = (_k, v) => {
  const c = cidr(v);
  return isSkip(c) ? c : { direct_remote_ip: c };
};
export const remoteIp: OneGen<Principal> = (_k, v) => {
  const c = cidr(v);
  return isSkip(c) ? c : { remote_ip: c };
};
export const srcNamespace: OneGen<Principal> = (_k, v) =>
  authenticated({ principal_name: regexMatcher(`.*/ns/${v.split('*').map(quoteMeta).join('.*')}/.*`) });
export const srcServiceAccount =
  (policyNamespace: string): OneGen<Principal> =>
  (_k, v) => {
    const slash = v.indexOf('/');
    const [ns, sa] = slash < 0 ? [policyNamespace, v] : [v.slice(0, slash), v.slice(slash + 1)];
    return authenticated({ principal_name: regexMatcher(`spiffe://.+/ns/${quoteMeta(ns)}/(.+/|)sa/${quoteMeta(sa)}(/.+)?`) });
  };
export const srcTrustDomain: OneGen<Principal> = (_k, v) => {
  if (v === '*') return authenticated({ principal_name: prefixMatcher(SPIFFE_PREFIX) });
  if (!v.includes('*')) return authenticated({ principal_name: prefixMatcher(`${SPIFFE_PREFIX}${v}/`) });
  const star = v.indexOf('*');
  return authenticated({ principal_name: regexMatcher(`spiffe://${quoteMeta(v.slice(0, star))}[^/]*${quoteMeta(v.slice(star + 1))}/.*`) });
};
export const srcPrincipal: OneGen<Principal> = (_k, v) => authenticated({ principal_name: stringMatcher(v, SPIFFE_PREFIX) });

/** `[a]` → a; `[a][b]` → a, b (istiod extractNameInNestedBrackets). */
export function bracketNames(s: string): string[] | undefined {
  const nested = s.match(/^(\[[^[\]]*\])+$/) ? [...s.matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '') : undefined;
  if (nested !== undefined) return nested;
  return s.startsWith('[') && s.endsWith(']') ? [s.slice(1, -1)] : undefined;
}

export const requestHeader: OneGen<Principal> = (key, v, forTCP) => {
  if (forTCP) return httpOnly(key);
  const rest = key.slice('request.headers'.length);
  if (!rest.startsWith('[') || !rest.endsWith(']')) return { skip: `expecting format [<NAME>], but found ${rest}` };
  return { header: headerMatcher(rest.slice(1, -1), v) };
};

const matchAny = regexMatcher('.+');

/** One `iss/sub` value (split at the last `/`, issuers being URLs) → iss and sub matchers. */
function issSub(value: string): [StringMatcher, StringMatcher] {
  const idx = value.lastIndexOf('/');
  const found = idx >= 0;
  const [iss, sub] = found ? [value.slice(0, idx), value.slice(idx + 1)] : [value, ''];
  if (value === '*') return [matchAny, matchAny];
  if (value.startsWith('*')) {
    if (!found) return [matchAny, suffixMatcher(value.slice(1))];
    return [iss === '*' ? matchAny : suffixMatcher(iss.slice(1)), exactMatcher(sub)];
  }
  if (value.endsWith('*')) {
    if (!found) return [prefixMatcher(value.slice(0, -1)), matchAny];
    return [exactMatcher(iss), sub === '*' ? matchAny : prefixMatcher(sub.slice(0, -1))];
  }
  return [exactMatcher(iss), exactMatcher(sub)];
}

export const requestPrincipals: ManyGen<Principal> = (key, values, forTCP) => {
  if (forTCP) return httpOnly(key);
  const or: Principal[] = values.map((v) => {
    const [iss, sub] = issSub(v);
    return { and_ids: { ids: [{ metadata: jwtClaimMatcher('iss', iss) }, { metadata: jwtClaimMatcher('sub', sub) }] } };
  });
  return or.length === 1 && or[0] !== undefined ? or[0] : { or_ids: { ids: or } };
};

const claimList =
  (claim: string): ManyGen<Principal> =>
  (key, values, forTCP) =>
    forTCP ? httpOnly(key) : { metadata: jwtClaimsListMatcher([claim], stringOrMatcher(values)) };
export const requestAudiences = claimList('aud');
export const requestPresenter = claimList('azp');

export const requestClaims: ManyGen<Principal> = (key, values, forTCP) => {
  if (forTCP) return httpOnly(key);
  const claims = bracketNames(key.slice('request.auth.claims'.length));
  if (claims === undefined) return { skip: `expecting format [<NAME>], but found ${key}` };
  return { metadata: jwtClaimsListMatcher(claims, stringOrMatcher(values)) };
};

// ── permissions ───────────────────────────────────────────────────────────────
export const destIp: OneGen<Permission> = (_k, v) => {
  const c = cidr(v);
  return isSkip(c) ? c : { destination_ip: c };
};
export const destPort: OneGen<Permission> = (_k, v) => {
  const n = /^[0-9]+$/.test(v) ? Number(v) : NaN;
  return Number.isInteger(n) && n <= 65535 ? { destination_port: n } : { skip: `invalid port ${v}` };
};
export const connSni: OneGen<Permission> = (_k, v) => ({ requested_server_name: stringMatcher(v) });
export const host: OneGen<Permission> = (key, v, forTCP) => (forTCP ? httpOnly(key) : { header: hostMatcher(':authority', v) });
export const method: OneGen<Permission> = (key, v, forTCP) => (forTCP ? httpOnly(key) : { header: headerMatcher(':method', v) });
/** Paths; Istio's `{*}`/`{**}` templates (uri_template) are not in Trellis' RBAC contract: skipped. */
export const path: OneGen<Permission> = (key, v, forTCP) => {
  if (forTCP) return httpOnly(key);
  if (v.includes('{*}') || v.includes('{**}')) return { skip: `path template ${v} is not supported` };
  return { url_path: { path: stringMatcher(v) } };
};

/** `experimental.envoy.filters.a.b[c]`: the metadata of filter `envoy.filters.a.b` at key `c`; `[v]` values match in a list. */
export const envoyFilter: ManyGen<Permission> = (key, values) => {
  const inner = key.slice('experimental.'.length).replace(/\]$/, '');
  const open = inner.indexOf('[');
  if (open < 0) return { skip: `invalid key: ${key}` };
  const matchers: ValueMatcher[] = values.map((v) =>
    v.startsWith('[') && v.endsWith(']') ? { list_match: { one_of: { string_match: stringMatcher(v.replace(/^[[\]]+|[[\]]+$/g, '')) } } } : { string_match: stringMatcher(v) },
  );
  return { metadata: metadataMatcher(inner.slice(0, open), [inner.slice(open + 1)], orMatcher(matchers)) };
};
