import type { JwtAuthentication } from '@trellis/mesh-envoy';
import type { TypedConfig } from '../../../config/envoy-types';
import { type CompiledJwtAuthentication, type CompiledJwtPerRoute, compileJwtAuthentication } from './config';
import type { JwtRequest } from './extract';
import { payloadOf } from './payload';
import type { VerifierNode } from './requirement';
import { JWT_STATUS_TEXT, httpStatusOf } from './status';
import { JWT_OK, type JwtVerdict, JwtVerifier } from './verify';

/** What the filter does with a request (Envoy's Filter::decodeHeaders). */
export type JwtDecision =
  /** No requirement applies (per-route `disabled`, no rule matched): allowed, nothing checked. */
  | { readonly kind: 'skip' }
  /** A CORS preflight with bypass_cors_preflight: allowed, counted apart. */
  | { readonly kind: 'cors' }
  /** The route names a requirement the filter does not have: 403 `Failed JWT authentication: …`. */
  | { readonly kind: 'bad-requirement'; readonly message: string }
  | { readonly kind: 'verdict'; readonly verdict: JwtVerdict };

/** `trellis x authz check`'s view of one request: the filter's decision, as data. */
export interface JwtAuthnOutcome {
  /** ok: passed with a verified token; missing: passed without one (none sent, or none required); failed: answered locally. */
  readonly outcome: 'ok' | 'missing' | 'failed';
  readonly status?: 401 | 403;
  /** Envoy's body text (`Jwt is expired`, …). */
  readonly message?: string;
  /** Dynamic metadata `envoy.filters.http.jwt_authn`: payload_in_metadata key → verified claims. */
  readonly payloads: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

const SKIP: JwtDecision = { kind: 'skip' };
const CORS: JwtDecision = { kind: 'cors' };

function isCorsPreflight(req: JwtRequest): boolean {
  return req.method === 'OPTIONS' && !!req.headers['origin'] && !!req.headers['access-control-request-method'];
}

function pathOnly(path: string): string {
  const q = path.indexOf('?');
  return q < 0 ? path : path.slice(0, q);
}

/**
 * One compiled JwtAuthentication and its verifier: the filter's engine, and what the CLI calls
 * (`JwtAuthenticator.compile(config).check(request)`), so both decide with the same code.
 */
export class JwtAuthenticator {
  private readonly verifier: JwtVerifier;
  private readonly requirementNames: string;

  constructor(readonly config: CompiledJwtAuthentication) {
    this.verifier = new JwtVerifier(config.issuers);
    this.requirementNames = [...config.requirements.keys()].sort().join(',');
  }

  /** Compiles a `JwtAuthentication` (throws XDS_INVALID naming the field, as the proxy NACKs it). */
  static compile(config: JwtAuthentication | TypedConfig, resource = 'jwt_authn'): JwtAuthenticator {
    return new JwtAuthenticator(compileJwtAuthentication(resource, config));
  }

  /** The filter's decision; synchronous unless a signature has to be checked. */
  decide(req: JwtRequest, perRoute: CompiledJwtPerRoute | undefined, nowSeconds: number): JwtDecision | Promise<JwtDecision> {
    if (this.config.bypassCorsPreflight && isCorsPreflight(req)) return CORS;
    let node: VerifierNode | undefined;
    if (perRoute !== undefined) {
      if (perRoute.disabled) return SKIP;
      node = this.config.requirements.get(perRoute.requirementName);
      if (node === undefined) {
        return { kind: 'bad-requirement', message: `Wrong requirement_name: ${perRoute.requirementName}. It should be one of [${this.requirementNames}]` };
      }
    } else {
      node = this.matchRule(req.path);
      if (node === undefined) return SKIP;
    }
    const v = this.verifier.verify(node, req, nowSeconds);
    return v instanceof Promise ? v.then(asDecision) : asDecision(v);
  }

  /** The outcome for `trellis x authz check` (now = the wall clock unless given). */
  async check(req: JwtRequest, opts: { perRoute?: CompiledJwtPerRoute; nowSeconds?: number } = {}): Promise<JwtAuthnOutcome> {
    return outcomeOf(await this.decide(req, opts.perRoute, opts.nowSeconds ?? Math.floor(Date.now() / 1000)));
  }

  private matchRule(path: string): VerifierNode | undefined {
    const rules = this.config.rules;
    if (rules.length === 0) return undefined;
    const p = pathOnly(path);
    for (const r of rules) {
      if (r.prefix !== undefined ? p.startsWith(r.prefix) : p === r.path) return r.node;
    }
    return undefined;
  }
}

/** The common pass (no token, nothing to apply) is one shared object: the no-token path allocates nothing. */
const PASS: JwtDecision = { kind: 'verdict', verdict: JWT_OK };

function asDecision(verdict: JwtVerdict): JwtDecision {
  return verdict === JWT_OK ? PASS : { kind: 'verdict', verdict };
}

/** Verified payloads by metadata key, as the filter writes them (normalised claims included). */
export function payloadsOf(verdict: JwtVerdict): Record<string, Readonly<Record<string, unknown>>> {
  const out: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const e of verdict.effects) {
    if (e.kind === 'verified' && e.provider.payloadInMetadata !== '') out[e.provider.payloadInMetadata] = payloadOf(e.provider, e.jwt);
  }
  return out;
}

export function outcomeOf(d: JwtDecision): JwtAuthnOutcome {
  if (d.kind === 'skip' || d.kind === 'cors') return { outcome: 'missing', payloads: {} };
  if (d.kind === 'bad-requirement') return { outcome: 'failed', status: 403, message: `Failed JWT authentication: ${d.message}`, payloads: {} };
  const v = d.verdict;
  if (v.status !== 'Ok') return { outcome: 'failed', status: httpStatusOf(v.status), message: JWT_STATUS_TEXT[v.status], payloads: {} };
  const verified = v.effects.some((e) => e.kind === 'verified');
  return { outcome: verified ? 'ok' : 'missing', payloads: payloadsOf(v) };
}
