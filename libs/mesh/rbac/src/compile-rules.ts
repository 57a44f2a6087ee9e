import type { Permission, Principal } from '@trellis/mesh-envoy';
import { ANY, type Cond, andCond, notCond, orCond } from './cond';
import { RbacConfigError } from './errors';
import { authenticatedCond, headerCond, ipCond, portCond, sniCond, urlPathCond } from './leaves';
import { metadataCond } from './metadata';

/** envoy.config.rbac.v3 Permission and Principal oneofs → conditions; an unknown or empty oneof names the policy. */

/** The one field of a oneof message that is set. */
function oneof(policy: string, what: string, msg: object | undefined): [string, unknown] {
  if (msg === undefined || msg === null || typeof msg !== 'object') throw new RbacConfigError(policy, `${what} missing`);
  const set = Object.entries(msg).filter(([, v]) => v !== undefined && v !== null);
  if (set.length === 0) throw new RbacConfigError(policy, `${what} has no rule set`);
  if (set.length > 1) throw new RbacConfigError(policy, `${what} sets more than one of ${set.map(([k]) => k).join(', ')}`);
  return set[0];
}

function nonEmpty<T>(policy: string, field: string, list: readonly T[] | undefined): readonly T[] {
  if (list === undefined || list.length === 0) throw new RbacConfigError(policy, `${field} must not be empty`);
  return list;
}

const asAny = (policy: string, what: string, v: unknown): Cond => {
  if (v !== true) throw new RbacConfigError(policy, `${what} any must be true`);
  return ANY;
};

export { nonEmpty };

export function compilePermission(policy: string, p: Permission): Cond {
  const [kind, v] = oneof(policy, 'permission', p);
  switch (kind) {
    case 'and_rules':
      return andCond(nonEmpty(policy, 'and_rules.rules', p.and_rules?.rules).map((r) => compilePermission(policy, r)));
    case 'or_rules':
      return orCond(nonEmpty(policy, 'or_rules.rules', p.or_rules?.rules).map((r) => compilePermission(policy, r)));
    case 'not_rule':
      return notCond(compilePermission(policy, v as Permission));
    case 'any':
      return asAny(policy, 'permission', v);
    case 'header':
      return headerCond(policy, v as NonNullable<Permission['header']>);
    case 'url_path':
      return urlPathCond(policy, v as NonNullable<Permission['url_path']>);
    case 'destination_ip':
      return ipCond(policy, 'destinationIp', v as NonNullable<Permission['destination_ip']>);
    case 'destination_port':
      return portCond(policy, v);
    case 'metadata':
      return metadataCond(policy, v as NonNullable<Permission['metadata']>);
    case 'requested_server_name':
      return sniCond(policy, v as NonNullable<Permission['requested_server_name']>);
    default:
      throw new RbacConfigError(policy, `unsupported permission rule ${kind}`);
  }
}

export function compilePrincipal(policy: string, p: Principal): Cond {
  const [kind, v] = oneof(policy, 'principal', p);
  switch (kind) {
    case 'and_ids':
      return andCond(nonEmpty(policy, 'and_ids.ids', p.and_ids?.ids).map((r) => compilePrincipal(policy, r)));
    case 'or_ids':
      return orCond(nonEmpty(policy, 'or_ids.ids', p.or_ids?.ids).map((r) => compilePrincipal(policy, r)));
    case 'not_id':
      return notCond(compilePrincipal(policy, v as Principal));
    case 'any':
      return asAny(policy, 'principal', v);
    case 'authenticated':
      return authenticatedCond(policy, (v as NonNullable<Principal['authenticated']>).principal_name);
    case 'direct_remote_ip':
    case 'source_ip':
      return ipCond(policy, 'sourceIp', v as NonNullable<Principal['direct_remote_ip']>);
    case 'remote_ip':
      return ipCond(policy, 'remoteIp', v as NonNullable<Principal['remote_ip']>);
    case 'header':
      return headerCond(policy, v as NonNullable<Principal['header']>);
    case 'url_path':
      return urlPathCond(policy, v as NonNullable<Principal['url_path']>);
    case 'metadata':
      return metadataCond(policy, v as NonNullable<Principal['metadata']>);
    default:
      throw new RbacConfigError(policy, `unsupported principal rule ${kind}`);
  }
}
