import type { JWTRule, RequestAuthenticationSpec } from '../types';
import type { FieldProblem } from './ajv-errors';

/**
 * Istio's checks of RequestAuthentication beyond the schema (`ValidateRequestAuthentication` /
 * `validateJwtRule` in pkg/config/validation, and the CRD's CEL rules), with Istio's messages:
 * selector or targetRef(s), not both; non-empty audiences and locations; `jwksUri` an http(s) URL;
 * `jwks` or `jwksUri`, not both; inline `jwks` a JSON Web Key Set; `outputClaimToHeaders` names
 * valid header names (`^[-_A-Za-z0-9]+$`, so no pseudo-header) and no hop-by-hop header. Trellis
 * adds: one issuer per policy (istiod would build two providers that both read the same token).
 */

const HEADER_NAME = /^[-_A-Za-z0-9]+$/;
/** Headers a proxy owns per hop (RFC 9110 §7.6.1, Envoy's connection-specific headers): a claim cannot become one. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);

const nonEmpty = (s: string | undefined): s is string => s !== undefined && s !== '';

function jwksUriProblem(uri: string): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `parse ${JSON.stringify(uri)}: invalid URI for request`;
  }
  const scheme = url.protocol.slice(0, -1);
  return scheme === 'http' || scheme === 'https' ? undefined : `URI scheme ${JSON.stringify(scheme)} is not supported`;
}

function jwksProblem(jwks: string): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(jwks);
  } catch (e) {
    return `jwks parse error: ${(e as Error).message}`;
  }
  const keys = doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>)['keys'] : undefined;
  if (!Array.isArray(keys)) return 'jwks parse error: failed to unmarshal JWK set: missing "keys" array';
  if (!keys.every((k) => k !== null && typeof k === 'object' && typeof (k as Record<string, unknown>)['kty'] === 'string')) {
    return 'jwks parse error: every key needs a "kty"';
  }
  return undefined;
}

function locationProblems(rule: JWTRule, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  (rule.audiences ?? []).forEach((a, i) => a === '' && out.push({ path: `${at}.audiences[${i}]`, message: 'audience must be non-empty string' }));
  (rule.fromHeaders ?? []).forEach((h, i) => !nonEmpty(h.name) && out.push({ path: `${at}.fromHeaders[${i}].name`, message: 'location header name must be non-empty string' }));
  (rule.fromParams ?? []).forEach((p, i) => p === '' && out.push({ path: `${at}.fromParams[${i}]`, message: 'location query must be non-empty string' }));
  (rule.fromCookies ?? []).forEach((c, i) => c === '' && out.push({ path: `${at}.fromCookies[${i}]`, message: 'cookie name must be non-empty string' }));
  return out;
}

function claimHeaderProblems(rule: JWTRule, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  (rule.outputClaimToHeaders ?? []).forEach((c, i) => {
    const path = `${at}.outputClaimToHeaders[${i}]`;
    if (!nonEmpty(c.claim) || !nonEmpty(c.header)) out.push({ path, message: 'outputClaimToHeaders header and claim value must be non-empty string' });
    else if (!HEADER_NAME.test(c.header)) out.push({ path: `${path}.header`, message: `header name ${c.header} is not a valid header name` });
    else if (HOP_BY_HOP.has(c.header.toLowerCase())) out.push({ path: `${path}.header`, message: `header name ${c.header} is a hop-by-hop header and cannot carry a claim` });
  });
  return out;
}

function keySourceProblems(rule: JWTRule, at: string): FieldProblem[] {
  const out: FieldProblem[] = [];
  if (!nonEmpty(rule.issuer) && !nonEmpty(rule.jwksUri)) out.push({ path: `${at}.issuer`, message: 'issuer or jwksUri must be non-empty string' });
  if (rule.jwksUri !== undefined && rule.jwks !== undefined) out.push({ path: at, message: 'only one of jwks or jwksUri can be set' });
  const uriProblem = nonEmpty(rule.jwksUri) ? jwksUriProblem(rule.jwksUri) : undefined;
  if (uriProblem !== undefined) out.push({ path: `${at}.jwksUri`, message: uriProblem });
  const jwksProblemText = nonEmpty(rule.jwks) ? jwksProblem(rule.jwks) : undefined;
  if (jwksProblemText !== undefined) out.push({ path: `${at}.jwks`, message: jwksProblemText });
  return out;
}

function duplicateIssuers(rules: readonly JWTRule[]): FieldProblem[] {
  const first = new Map<string, number>();
  const out: FieldProblem[] = [];
  rules.forEach((rule, i) => {
    if (!nonEmpty(rule.issuer)) return;
    const seen = first.get(rule.issuer);
    if (seen === undefined) first.set(rule.issuer, i);
    else out.push({ path: `spec.jwtRules[${i}].issuer`, message: `duplicate issuer ${JSON.stringify(rule.issuer)} (also in spec.jwtRules[${seen}])` });
  });
  return out;
}

export function checkRequestAuthentication(spec: RequestAuthenticationSpec): FieldProblem[] {
  const out: FieldProblem[] = [];
  const selectors = [spec.selector, spec.targetRef, spec.targetRefs].filter((s) => s !== undefined).length;
  if (selectors > 1) out.push({ path: 'spec', message: 'only one of targetRefs or selector can be set' });
  const rules = spec.jwtRules ?? [];
  rules.forEach((rule, i) => {
    const at = `spec.jwtRules[${i}]`;
    out.push(...keySourceProblems(rule, at), ...locationProblems(rule, at), ...claimHeaderProblems(rule, at));
  });
  return [...out, ...duplicateIssuers(rules)];
}
