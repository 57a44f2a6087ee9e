import type { RbacRules, Received } from '@trellis/mesh-envoy';
import { type CompiledRbac, RbacConfigError, compileRbac } from '@trellis/mesh-rbac';
import { invalid } from '../../config/proto';
import type { Counter, FilterCounters } from '../counters';

/**
 * What the HTTP and the network RBAC filters share: the enforced and shadow engines compiled from
 * one config (`rules` / `shadow_rules`, absent = none, as Envoy's createEngine), and Envoy's counters
 * (common/rbac/utility.cc generateStats): `<prefix>rbac.<rules_stat_prefix>{allowed,denied}` and
 * `<prefix>rbac.<shadow_rules_stat_prefix>{shadow_allowed,shadow_denied}` — the HTTP filter's prefix is
 * `http.<hcm stat_prefix>.`, the network filter's its own `stat_prefix` (Istio: `tcp.`).
 */
export interface RbacEngines {
  readonly rules: CompiledRbac | undefined;
  readonly shadow: CompiledRbac | undefined;
  /** Dynamic metadata keys are prefixed with these (Istio's `istio_ext_authz_shadow_effective_policy_id`). */
  readonly rulesPrefix: string;
  readonly shadowPrefix: string;
}

export interface RbacStats {
  readonly allowed: Counter;
  readonly denied: Counter;
  readonly shadowAllowed: Counter;
  readonly shadowDenied: Counter;
}

interface RbacConfigFields {
  readonly rules?: Received<RbacRules>;
  readonly shadow_rules?: Received<RbacRules>;
  readonly rules_stat_prefix?: string;
  readonly shadow_rules_stat_prefix?: string;
}

function engine(resource: string, field: string, rules: Received<RbacRules> | undefined): CompiledRbac | undefined {
  if (rules === undefined || rules === null) return undefined;
  try {
    return compileRbac(resource, rules);
  } catch (err) {
    if (err instanceof RbacConfigError) throw invalid(resource, `${field}: ${err.detail}`);
    throw err;
  }
}

/** Both engines of a config; a policy that cannot compile is a NACK naming the field and the policy. */
export function compileEngines(resource: string, c: RbacConfigFields): RbacEngines {
  return {
    rules: engine(resource, 'rules', c.rules),
    shadow: engine(resource, 'shadow_rules', c.shadow_rules),
    rulesPrefix: c.rules_stat_prefix ?? '',
    shadowPrefix: c.shadow_rules_stat_prefix ?? '',
  };
}

/** Envoy's statPrefixJoin: `a` and `b` with one dot between them (none added when `a` ends in one or is empty). */
export function statPrefixJoin(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return a.endsWith('.') ? `${a}${b}` : `${a}.${b}`;
}

/** Prometheus naming of one counter from its full name and its part after `rbac.`: metric name and label text. */
export type PromNamer = (name: string, afterRbac: string) => [prom: string, labels: string];

export function rbacStats(counters: FilterCounters, prefix: string, rulesPrefix: string, shadowPrefix: string, prom: PromNamer): RbacStats {
  const base = statPrefixJoin(prefix, 'rbac.');
  const counter = (p: string, stat: string): Counter => {
    const name = `${statPrefixJoin(base, p)}${stat}`;
    const [promName, labels] = prom(name, `${p}${stat}`);
    return counters.counter(name, promName, labels);
  };
  return {
    allowed: counter(rulesPrefix, 'allowed'),
    denied: counter(rulesPrefix, 'denied'),
    shadowAllowed: counter(shadowPrefix, 'shadow_allowed'),
    shadowDenied: counter(shadowPrefix, 'shadow_denied'),
  };
}
