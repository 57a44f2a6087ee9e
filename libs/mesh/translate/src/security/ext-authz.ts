import type { AuthorizationPolicy } from '@trellis/mesh-api';
import {
  EXT_AUTHZ_FILTER_NAME,
  NETWORK_RBAC_FILTER_NAME,
  NETWORK_RBAC_TYPE,
  RBAC_FILTER_NAME,
  RBAC_TYPE,
  type HttpFilter,
  type NetworkFilter,
  type RbacPolicy,
  type RbacRules,
} from '@trellis/mesh-envoy';
import type { TranslateContext } from '../context';
import { type BuiltRbac, buildRbacRules, RBAC_TCP_STAT_PREFIX } from './authz-builder';
import { EXT_AUTHZ_MATCH_PREFIX, EXT_AUTHZ_SHADOW_STAT_PREFIX, type ProviderResult, resolveExtAuthzProviders } from './ext-authz-provider';

/**
 * CUSTOM AuthorizationPolicies → istiod's pair per provider: an RBAC filter in shadow mode marking the
 * requests the CUSTOM rules match, then `envoy.filters.http.ext_authz` enabled by that mark
 * (pilot/pkg/security/authz/builder/builder.go buildHTTP/buildTCP for the custom builder, extauthz.go).
 * Policy names carry the provider: `istio-ext-authz-<provider>-ns[<ns>]-policy[<name>]-rule[<i>]`, and
 * the ext_authz filter runs when the mark starts with `istio-ext-authz-<provider>`. Dry-run CUSTOM
 * policies go into the RBAC filter's `rules` (istiod's known limitation: they still call the authorizer).
 * Empty when no CUSTOM policy applies.
 *
 * When istiod cannot honour CUSTOM it fails closed rather than open: a policy naming an unknown or
 * invalid provider, or a workload selected by CUSTOM policies of more than one provider (istiod's
 * PILOT_ENABLE_MULTIPLE_CUSTOM_AUTHZ_PROVIDERS is off by default), gets an enforcing RBAC DENY filter of
 * the CUSTOM rules (`…-deny-due-to-bad-CUSTOM-action`): every request the CUSTOM policy meant to send
 * to an authorizer is denied (403 `RBAC: access denied`) instead of passing unchecked.
 *
 * TCP chains: only gRPC providers have a network ext_authz (Envoy's network ext_authz speaks gRPC
 * only), so an HTTP provider adds nothing to TCP chains (istiod: "ignored CUSTOM action with HTTP
 * provider on TCP filter chain") — a CUSTOM policy with an HTTP provider does not guard TCP traffic.
 * For a gRPC provider istiod adds the network ext_authz; Trellis's proxy does not implement it yet,
 * so those TCP connections are denied (see providerFilters).
 */
export interface ExtAuthzFilters {
  readonly http: HttpFilter[];
  readonly tcp: NetworkFilter[];
}

const BAD_CUSTOM_SUFFIX = '-deny-due-to-bad-CUSTOM-action';

function byProvider(custom: readonly AuthorizationPolicy[]): Map<string, AuthorizationPolicy[]> {
  const out = new Map<string, AuthorizationPolicy[]>();
  for (const p of custom) {
    const name = p.spec.provider?.name ?? '';
    out.set(name, [...(out.get(name) ?? []), p]);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** istiod's policyName prefix for CUSTOM rules. */
const namePrefix = (provider: string): string => (provider === '' ? `${EXT_AUTHZ_MATCH_PREFIX}-` : `${EXT_AUTHZ_MATCH_PREFIX}-${provider}-`);

function rulesOf(ctx: TranslateContext, policies: readonly AuthorizationPolicy[], provider: string, forTCP: boolean): BuiltRbac {
  return buildRbacRules(policies, 'DENY', { trustDomain: ctx.options.trustDomain, forTCP, namePrefix: namePrefix(provider) }) ?? {};
}

/** istiod's getBadCustomDenyRules: the enforced CUSTOM rules, renamed, as DENY. */
function badRules(b: BuiltRbac): RbacRules {
  const policies: Record<string, RbacPolicy> = {};
  for (const [name, p] of Object.entries(b.rules?.policies ?? {})) policies[`${name}${BAD_CUSTOM_SUFFIX}`] = p;
  return { action: 'DENY', policies };
}

/**
 * The RBAC in shadow: enforced CUSTOM rules only mark (shadow_rules, stats `istio_ext_authz_`);
 * dry-run ones sit in `rules` (istiod's limitation: they still call the authorizer).
 */
function shadowRbac(b: BuiltRbac): { shadow_rules: RbacRules; shadow_rules_stat_prefix: string; rules?: RbacRules } {
  const dryRun = b.shadowRules !== undefined && Object.keys(b.shadowRules.policies ?? {}).length > 0 ? b.shadowRules : undefined;
  return { ...(dryRun && { rules: dryRun }), shadow_rules: b.rules ?? { action: 'DENY', policies: {} }, shadow_rules_stat_prefix: EXT_AUTHZ_SHADOW_STAT_PREFIX };
}

const httpRbac = (fields: { rules?: RbacRules; shadow_rules?: RbacRules; shadow_rules_stat_prefix?: string }): HttpFilter => ({
  name: RBAC_FILTER_NAME,
  typed_config: { '@type': RBAC_TYPE, ...fields },
});
const networkRbac = (fields: { rules?: RbacRules; shadow_rules?: RbacRules; shadow_rules_stat_prefix?: string }): NetworkFilter => ({
  name: NETWORK_RBAC_FILTER_NAME,
  typed_config: { '@type': NETWORK_RBAC_TYPE, stat_prefix: RBAC_TCP_STAT_PREFIX, ...fields },
});

function providerFilters(ctx: TranslateContext, provider: string, policies: readonly AuthorizationPolicy[], result: ProviderResult | undefined, out: ExtAuthzFilters): void {
  const http = rulesOf(ctx, policies, provider, false);
  const tcp = rulesOf(ctx, policies, provider, true);
  if (result === undefined || 'errors' in result) {
    // Unknown or invalid provider: deny what the CUSTOM rules match (fail closed, see above).
    out.http.push(httpRbac({ rules: badRules(http) }));
    out.tcp.push(networkRbac({ rules: badRules(tcp) }));
    return;
  }
  out.http.push(httpRbac(shadowRbac(http)), { name: EXT_AUTHZ_FILTER_NAME, typed_config: result.ok.http });
  if (result.ok.tcp !== undefined) {
    // istiod writes envoy.filters.network.ext_authz here; Trellis's proxy has no network ext_authz yet (it
    // would NACK the listener), so the connections the CUSTOM rules match are denied instead: closed
    // (fail closed, as for a bad provider), never passed unchecked.
    out.tcp.push(networkRbac({ rules: badRules(tcp) }));
  }
}

export function extAuthzFilters(ctx: TranslateContext, custom: readonly AuthorizationPolicy[]): ExtAuthzFilters {
  const out: ExtAuthzFilters = { http: [], tcp: [] };
  if (custom.length === 0) return out;
  const groups = byProvider(custom);
  if (groups.size > 1) {
    // More than one provider for one workload: istiod cannot pick one, so each provider's rules deny.
    for (const [provider, policies] of groups) providerFilters(ctx, provider, policies, undefined, out);
    return out;
  }
  const providers = resolveExtAuthzProviders(ctx);
  for (const [provider, policies] of groups) providerFilters(ctx, provider, policies, providers.get(provider), out);
  return out;
}
