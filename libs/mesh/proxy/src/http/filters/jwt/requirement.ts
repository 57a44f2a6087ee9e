import type { JwtRequirement } from '@trellis/mesh-envoy';
import { invalid } from '../../../config/proto';
import { type Extractor, compileExtractor } from './extract';
import type { CompiledProvider } from './provider';

/**
 * A JwtRequirement compiled into Envoy's verifier tree (jwt_authn/verifier.cc):
 * - provider: that provider's locations and keys; no token = JwtMissed;
 * - any: Ok when a child is; `allow_missing` / `allow_missing_or_failed` among the children are
 *   flags on the group (a group of only such a flag becomes that verifier alone);
 * - all: the first failure;
 * - allowMissing / allowFailed: every provider's locations, the provider picked by `iss`;
 * - allowAll: no requirement set.
 */
export type VerifierNode =
  | { readonly kind: 'provider'; readonly provider: CompiledProvider; readonly extractor: Extractor }
  | { readonly kind: 'allowMissing' | 'allowFailed'; readonly extractor: Extractor }
  | { readonly kind: 'any'; readonly children: readonly VerifierNode[]; readonly allowMissing: boolean; readonly allowFailed: boolean }
  | { readonly kind: 'all'; readonly children: readonly VerifierNode[] }
  | { readonly kind: 'allowAll' };

export interface RequirementEnv {
  readonly resource: string;
  readonly providers: ReadonlyMap<string, CompiledProvider>;
  /** Extractor over every provider (allow_missing[_or_failed]), built once. */
  readonly all: Extractor;
}

function setFields(r: JwtRequirement): string[] {
  return (['provider_name', 'requires_any', 'requires_all', 'allow_missing', 'allow_missing_or_failed'] as const).filter((k) => r[k] !== undefined);
}

function anyNode(list: readonly JwtRequirement[], env: RequirementEnv): VerifierNode {
  let allowMissing = false;
  let allowFailed = false;
  const children: VerifierNode[] = [];
  for (const r of list) {
    if (r.allow_missing_or_failed !== undefined) allowFailed = true;
    else if (r.allow_missing !== undefined) allowMissing = true;
    else children.push(compileRequirement(r, env));
  }
  if (children.length === 0 && (allowFailed || allowMissing)) {
    children.push({ kind: allowFailed ? 'allowFailed' : 'allowMissing', extractor: env.all });
  }
  return { kind: 'any', children, allowMissing, allowFailed };
}

export function compileRequirement(r: JwtRequirement, env: RequirementEnv): VerifierNode {
  const set = setFields(r);
  if (set.length > 1) throw invalid(env.resource, `jwt_authn requirement sets more than one of ${set.join(', ')}`);
  if (r.provider_name !== undefined) {
    const provider = env.providers.get(r.provider_name);
    if (provider === undefined) throw invalid(env.resource, `jwt_authn: Required provider ['${r.provider_name}'] is not configured.`);
    return { kind: 'provider', provider, extractor: compileExtractor([provider]) };
  }
  if (r.requires_any !== undefined) return anyNode(r.requires_any.requirements ?? [], env);
  if (r.requires_all !== undefined) return { kind: 'all', children: (r.requires_all.requirements ?? []).map((c) => compileRequirement(c, env)) };
  if (r.allow_missing_or_failed !== undefined) return { kind: 'allowFailed', extractor: env.all };
  if (r.allow_missing !== undefined) return { kind: 'allowMissing', extractor: env.all };
  return { kind: 'allowAll' };
}
