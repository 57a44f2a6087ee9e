import type { AuthorizationRule } from '@trellis/mesh-api';
import type { Permission, Principal, RbacAction, RbacPolicy } from '@trellis/mesh-envoy';
import * as g from './authz-generators';
import { isSkip, type ManyGen, type OneGen, type Skip } from './authz-generators';
import { replaceTrustDomain } from './authz-trust-domain';

/**
 * One AuthorizationPolicy rule → one RBAC policy, as istiod's model (pilot/pkg/security/authz/model/model.go):
 * `when` conditions join every `from` (principals) or every `to` (permissions); each `from`/`to`
 * becomes an AND of its fields (source fields first, in istiod's order), values of a field are ORed,
 * `notX` values are NOT(OR); nothing = `any`. A value that cannot be expressed (HTTP-only on TCP, a
 * bad address) drops the whole rule for ALLOW (fewer requests allowed) and only that value for
 * DENY/AUDIT (more requests denied), as istiod's checkError.
 */

interface Rule<T> {
  readonly key: string;
  readonly values: readonly string[];
  readonly notValues: readonly string[];
  readonly one?: OneGen<T>;
  readonly many?: ManyGen<T>;
}
type RuleList<T> = Rule<T>[];

export interface AuthzModel {
  readonly permissions: RuleList<Permission>[];
  readonly principals: RuleList<Principal>[];
}

interface Side<T> {
  any(): T;
  and(xs: T[]): T;
  or(xs: T[]): T;
  not(x: T): T;
}
const PERMISSION: Side<Permission> = { any: () => ({ any: true }), and: (rules) => ({ and_rules: { rules } }), or: (rules) => ({ or_rules: { rules } }), not: (x) => ({ not_rule: x }) };
const PRINCIPAL: Side<Principal> = { any: () => ({ any: true }), and: (ids) => ({ and_ids: { ids } }), or: (ids) => ({ or_ids: { ids } }), not: (x) => ({ not_id: x }) };

function rule<T>(key: string, values: readonly string[] | undefined, notValues: readonly string[] | undefined, gen: { one?: OneGen<T>; many?: ManyGen<T> }): Rule<T>[] {
  return (values?.length ?? 0) === 0 && (notValues?.length ?? 0) === 0 ? [] : [{ key, values: values ?? [], notValues: notValues ?? [], ...gen }];
}

type WhenTarget = { permission: Rule<Permission>[] } | { principal: Rule<Principal>[] } | Skip;

/** A `when` condition → the permission or principal rule istiod files it under. */
function whenRule(key: string, values: readonly string[] | undefined, notValues: readonly string[] | undefined, policyNs: string): WhenTarget {
  const perm = (gen: { one?: OneGen<Permission>; many?: ManyGen<Permission> }): WhenTarget => ({ permission: rule(key, values, notValues, gen) });
  const prin = (gen: { one?: OneGen<Principal>; many?: ManyGen<Principal> }): WhenTarget => ({ principal: rule(key, values, notValues, gen) });
  if (key === 'destination.ip') return perm({ one: g.destIp });
  if (key === 'destination.port') return perm({ one: g.destPort });
  if (key === 'connection.sni') return perm({ one: g.connSni });
  if (key.startsWith('experimental.envoy.filters.')) return perm({ many: g.envoyFilter });
  if (key === 'source.ip') return prin({ one: g.srcIp });
  if (key === 'remote.ip') return prin({ one: g.remoteIp });
  if (key === 'source.namespace') return prin({ one: g.srcNamespace });
  if (key === 'source.trustDomain') return prin({ one: g.srcTrustDomain });
  if (key === 'source.serviceAccount') return prin({ one: g.srcServiceAccount(policyNs) });
  if (key === 'source.principal') return prin({ one: g.srcPrincipal });
  if (key === 'request.auth.principal') return prin({ many: g.requestPrincipals });
  if (key === 'request.auth.audiences') return prin({ many: g.requestAudiences });
  if (key === 'request.auth.presenter') return prin({ many: g.requestPresenter });
  if (key.startsWith('request.headers')) return prin({ one: g.requestHeader });
  if (key.startsWith('request.auth.claims')) return prin({ many: g.requestClaims });
  return { skip: `unknown attribute ${key}` };
}

type Source = NonNullable<AuthorizationRule['from']>[number]['source'];
type Operation = NonNullable<AuthorizationRule['to']>[number]['operation'];

function sourceRules(s: Source | undefined, policyNs: string): Rule<Principal>[] {
  if (s === undefined) return [];
  return [
    ...rule('source.principal', s.principals, s.notPrincipals, { one: g.srcPrincipal }),
    ...rule('request.auth.principal', s.requestPrincipals, s.notRequestPrincipals, { many: g.requestPrincipals }),
    ...rule('source.serviceAccount', s.serviceAccounts, s.notServiceAccounts, { one: g.srcServiceAccount(policyNs) }),
    ...rule('source.namespace', s.namespaces, s.notNamespaces, { one: g.srcNamespace }),
    ...rule('remote.ip', s.remoteIpBlocks, s.notRemoteIpBlocks, { one: g.remoteIp }),
    ...rule('source.ip', s.ipBlocks, s.notIpBlocks, { one: g.srcIp }),
  ];
}

function operationRules(o: Operation | undefined): Rule<Permission>[] {
  if (o === undefined) return [];
  return [
    ...rule(':authority', o.hosts, o.notHosts, { one: g.host }),
    ...rule(':method', o.methods, o.notMethods, { one: g.method }),
    ...rule('path-matcher', o.paths, o.notPaths, { one: g.path }),
    ...rule('destination.port', o.ports, o.notPorts, { one: g.destPort }),
  ];
}

/** istiod's model.New (plus MigrateTrustDomain); a Skip for an unknown `when` key (the rule is dropped). */
export function buildModel(r: AuthorizationRule, policyNs: string, trustDomain: string): AuthzModel | Skip {
  const basePermission: Rule<Permission>[] = [];
  const basePrincipal: Rule<Principal>[] = [];
  for (const w of r.when ?? []) {
    const target = whenRule(w.key, w.values, w.notValues, policyNs);
    if (isSkip(target)) return target;
    if ('permission' in target) basePermission.push(...target.permission);
    else basePrincipal.push(...target.principal);
  }
  const migrate = (x: Rule<Principal>): Rule<Principal> =>
    x.key === 'source.principal' ? { ...x, values: replaceTrustDomain(x.values, trustDomain), notValues: replaceTrustDomain(x.notValues, trustDomain) } : x;
  const principals = (r.from ?? []).map((f) => [...sourceRules(f.source, policyNs), ...basePrincipal]);
  const permissions = (r.to ?? []).map((t) => [...operationRules(t.operation), ...basePermission]);
  return {
    principals: (principals.length > 0 ? principals : [basePrincipal]).map((list) => list.map(migrate)),
    permissions: permissions.length > 0 ? permissions : [basePermission],
  };
}

/** One value set of a rule (values, or notValues under NOT) → the matchers it adds; a Skip aborts an ALLOW rule. */
function generateValues<T extends object>(r: Rule<T>, values: readonly string[], forTCP: boolean, action: RbacAction, side: Side<T>): T | undefined | Skip {
  if (values.length === 0) return undefined;
  if (r.many !== undefined) {
    const p = r.many(r.key, values, forTCP);
    return isSkip(p) ? (action === 'ALLOW' ? p : undefined) : p;
  }
  const or: T[] = [];
  for (const v of values) {
    const p = r.one?.(r.key, v, forTCP) ?? { skip: 'no generator' };
    if (isSkip(p)) {
      if (action === 'ALLOW') return p;
      continue;
    }
    or.push(p);
  }
  return or.length > 0 ? side.or(or) : undefined;
}

function generateList<T extends object>(list: RuleList<T>, forTCP: boolean, action: RbacAction, side: Side<T>): T | Skip {
  const and: T[] = [];
  for (const r of list) {
    const yes = generateValues(r, r.values, forTCP, action, side);
    if (yes !== undefined && isSkip(yes)) return yes;
    if (yes !== undefined) and.push(yes);
    const no = generateValues(r, r.notValues, forTCP, action, side);
    if (no !== undefined && isSkip(no)) return no;
    if (no !== undefined) and.push(side.not(no));
  }
  return side.and(and.length > 0 ? and : [side.any()]);
}

/** istiod's Model.Generate (useAuthenticated: principals read the peer certificate). */
export function generatePolicy(m: AuthzModel, forTCP: boolean, action: RbacAction): RbacPolicy | Skip {
  const permissions: Permission[] = [];
  for (const list of m.permissions) {
    const p = generateList(list, forTCP, action, PERMISSION);
    if (isSkip(p)) return p;
    permissions.push(p);
  }
  const principals: Principal[] = [];
  for (const list of m.principals) {
    const p = generateList(list, forTCP, action, PRINCIPAL);
    if (isSkip(p)) return p;
    principals.push(p);
  }
  return { permissions, principals };
}
