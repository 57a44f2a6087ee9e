import type { HttpRbac, HttpRbacPerRoute, Received } from '@trellis/mesh-envoy';
import { RBAC_FILTER_NAME } from '@trellis/mesh-envoy';
import { type CompiledRbac, evaluate } from '@trellis/mesh-rbac';
import type { TypedConfig } from '../../config/envoy-types';
import { KNOWN_TYPES, invalid } from '../../config/proto';
import type { Exchange } from '../exchange';
import { sendLocalReply } from '../local-reply';
import { type FilterEnv, type FilterStatus, type HttpFilter, type HttpFilterFactory, perRouteConfig } from '../filter';
import { ExchangeRbacInput } from './rbac-input';
import { type RbacEngines, type RbacStats, compileEngines, rbacStats } from './rbac-engines';

/**
 * envoy.filters.http.rbac (extensions/filters/http/rbac/rbac_filter.cc): the shadow engine is
 * evaluated and counted only (`shadow_allowed`/`shadow_denied`, dynamic metadata
 * `<shadow prefix>shadow_effective_policy_id` / `shadow_engine_result` under envoy.filters.http.rbac —
 * Istio's CUSTOM ext_authz and dry-run read them); the enforced engine decides: allowed goes on,
 * denied is answered 403 `RBAC: access denied` (flag RBAC, details
 * `rbac_access_denied_matched_policy[<policy>|none]`). Its result is written too
 * (`<rules prefix>enforced_effective_policy_id` / `enforced_engine_result`). A LOG action sets
 * `envoy.common` → `access_log_hint`. RBACPerRoute replaces the engines on a route; an empty one
 * (no `rbac`) disables the filter there.
 */

const NO_ENGINES: RbacEngines = { rules: undefined, shadow: undefined, rulesPrefix: '', shadowPrefix: '' };
const ALLOWED = 'allowed';
const DENIED = 'denied';

function compilePerRoute(resource: string, config: TypedConfig): RbacEngines {
  const c = config as Received<HttpRbacPerRoute>;
  if (c.rbac === undefined || c.rbac === null) return NO_ENGINES;
  return compileEngines(`${resource} rbac`, c.rbac);
}

export class RbacFilter implements HttpFilter {
  constructor(
    readonly name: string,
    private readonly own: RbacEngines,
    private readonly stats: RbacStats,
  ) {}

  decodeHeaders(ex: Exchange): FilterStatus {
    const cfg = perRouteConfig<RbacEngines>(ex, this) ?? this.own;
    if (cfg.rules === undefined && cfg.shadow === undefined) return 'continue';
    const input = new ExchangeRbacInput(ex);
    if (cfg.shadow !== undefined) this.shadow(ex, cfg, cfg.shadow, input);
    return cfg.rules === undefined ? 'continue' : this.enforce(ex, cfg, cfg.rules, input);
  }

  private shadow(ex: Exchange, cfg: RbacEngines, shadow: CompiledRbac, input: ExchangeRbacInput): void {
    const d = evaluate(shadow, input);
    (d.allowed ? this.stats.shadowAllowed : this.stats.shadowDenied).value++;
    if (d.matchedPolicy !== undefined) ex.setMetadata(this.name, `${cfg.shadowPrefix}shadow_effective_policy_id`, d.matchedPolicy);
    ex.setMetadata(this.name, `${cfg.shadowPrefix}shadow_engine_result`, d.allowed ? ALLOWED : DENIED);
    if (ex.ctx.logger.isLevelEnabled('debug')) {
      ex.ctx.logger.debug({ filter: this.name, policy: d.matchedPolicy ?? 'none' }, d.allowed ? 'shadow allowed' : 'shadow denied');
    }
  }

  private enforce(ex: Exchange, cfg: RbacEngines, rules: CompiledRbac, input: ExchangeRbacInput): FilterStatus {
    const d = evaluate(rules, input);
    const policy = d.matchedPolicy ?? 'none';
    if (d.matchedPolicy !== undefined) ex.setMetadata(this.name, `${cfg.rulesPrefix}enforced_effective_policy_id`, d.matchedPolicy);
    ex.setMetadata(this.name, `${cfg.rulesPrefix}enforced_engine_result`, d.allowed ? ALLOWED : DENIED);
    if (rules.action === 'LOG') ex.setMetadata('envoy.common', 'access_log_hint', d.shouldLog);
    if (ex.ctx.logger.isLevelEnabled('debug')) ex.ctx.logger.debug({ filter: this.name, policy }, d.allowed ? 'enforced allowed' : 'enforced denied');
    if (d.allowed) {
      this.stats.allowed.value++;
      return 'continue';
    }
    this.stats.denied.value++;
    sendLocalReply(ex, 'RBAC_DENIED', { details: `rbac_access_denied_matched_policy[${policy.replace(/\s/g, '_')}]` });
    return 'stop';
  }
}

function create(resource: string, name: string, config: TypedConfig, env: FilterEnv): RbacFilter {
  const c = config as Received<HttpRbac>;
  const engines = compileEngines(resource, c);
  const label = `http_conn_manager_prefix="${env.statPrefix}"`;
  const stats = rbacStats(env.counters, `http.${env.statPrefix}.`, engines.rulesPrefix, engines.shadowPrefix, (_, rest) => [
    `envoy_http_rbac_${rest.replace(/[^a-zA-Z0-9_]/g, '_')}`,
    label,
  ]);
  return new RbacFilter(name, engines, stats);
}

/** envoy.filters.http.rbac by its RBAC @type. */
export const rbacFilter: HttpFilterFactory = {
  typeUrl: KNOWN_TYPES.rbac,
  create,
};

/** RBACPerRoute is only a per-route config: the registry finds its compiler by this @type. */
export const rbacPerRouteFilter: HttpFilterFactory = {
  typeUrl: KNOWN_TYPES.rbacPerRoute,
  create: (resource) => {
    throw invalid(resource, `RBACPerRoute is a per-route config, not an http filter (${RBAC_FILTER_NAME} takes RBAC)`);
  },
  compilePerRoute: (resource, config) => compilePerRoute(resource, config),
};
