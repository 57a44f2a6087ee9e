import { JWT_AUTHN_PER_ROUTE_TYPE, JWT_AUTHN_TYPE, type JwtAuthentication, type JwtAuthnPerRoute } from '@trellis/mesh-envoy';
import type { TypedConfig } from '../../../config/envoy-types';
import { invalid } from '../../../config/proto';
import { compileExtractor } from './extract';
import { type CompiledProvider, compileProvider } from './provider';
import { type VerifierNode, compileRequirement } from './requirement';
import type { IssuerIndex } from './verify';

/** A `rules` entry: the first whose match fits the request's path picks the requirement. */
export interface CompiledRule {
  readonly prefix: string | undefined;
  readonly path: string | undefined;
  readonly node: VerifierNode;
}

export interface CompiledJwtAuthentication {
  readonly providers: ReadonlyMap<string, CompiledProvider>;
  readonly issuers: IssuerIndex;
  readonly rules: readonly CompiledRule[];
  readonly requirements: ReadonlyMap<string, VerifierNode>;
  readonly bypassCorsPreflight: boolean;
}

/** PerRouteConfig: the filter skipped, or the requirement of `requirement_map` by name. */
export type CompiledJwtPerRoute = { readonly disabled: true } | { readonly disabled: false; readonly requirementName: string };

function issuerIndex(providers: readonly CompiledProvider[]): IssuerIndex {
  const byIssuer = new Map<string, CompiledProvider>();
  let anyIssuer: CompiledProvider | undefined;
  for (const p of providers) {
    if (p.issuer === '') anyIssuer ??= p;
    else if (!byIssuer.has(p.issuer)) byIssuer.set(p.issuer, p);
  }
  return { byIssuer, anyIssuer };
}

function compileRules(resource: string, c: JwtAuthentication, env: Parameters<typeof compileRequirement>[1]): CompiledRule[] {
  return (c.rules ?? []).map((r, i) => {
    const prefix = r.match?.prefix;
    const path = r.match?.path;
    if (typeof prefix !== 'string' && typeof path !== 'string') throw invalid(resource, `jwt_authn rules[${i}].match needs prefix or path`);
    return { prefix, path, node: r.requires === undefined ? { kind: 'allowAll' } : compileRequirement(r.requires, env) };
  });
}

/**
 * `envoy.filters.http.jwt_authn` config → providers (keys parsed once, a token cache each),
 * rules and requirement_map as verifier trees. NACKs (XDS_INVALID naming the field) what Envoy
 * rejects, and `remote_jwks`: this proxy fetches no keys, istiod inlines them.
 */
export function compileJwtAuthentication(resource: string, config: TypedConfig | JwtAuthentication): CompiledJwtAuthentication {
  if (config['@type'] !== JWT_AUTHN_TYPE) throw invalid(resource, `unknown jwt_authn typed_config ${String(config['@type'])}`);
  const c = config as JwtAuthentication;
  const providers = new Map<string, CompiledProvider>();
  for (const [name, p] of Object.entries(c.providers ?? {})) providers.set(name, compileProvider(resource, name, p));
  const list = [...providers.values()];
  const env = { resource, providers, all: compileExtractor(list) };
  const requirements = new Map<string, VerifierNode>();
  for (const [name, r] of Object.entries(c.requirement_map ?? {})) requirements.set(name, compileRequirement(r, env));
  return { providers, issuers: issuerIndex(list), rules: compileRules(resource, c, env), requirements, bypassCorsPreflight: c.bypass_cors_preflight === true };
}

export function compileJwtPerRoute(resource: string, config: TypedConfig | JwtAuthnPerRoute): CompiledJwtPerRoute {
  if (config['@type'] !== JWT_AUTHN_PER_ROUTE_TYPE) throw invalid(resource, `unknown jwt_authn per-route typed_config ${String(config['@type'])}`);
  const c = config as JwtAuthnPerRoute;
  if (c.disabled === true) return { disabled: true };
  if (typeof c.requirement_name === 'string' && c.requirement_name !== '') return { disabled: false, requirementName: c.requirement_name };
  throw invalid(resource, 'jwt_authn PerRouteConfig needs disabled: true or a requirement_name');
}
