import { type ExtractedToken, type Extractor, type JwtRequest, type TokenLocation, extractTokens, issuerAllowed } from './extract';
import { verifySignature } from './jwks';
import { type ParsedJwt, checkTime, parseJwt } from './parse';
import { type CompiledProvider, audiencesAllowed } from './provider';
import type { VerifierNode } from './requirement';
import type { JwtStatus } from './status';

/** What a verification does to the request once it passes, in Envoy's order. */
export type JwtEffect =
  | { readonly kind: 'sanitize'; readonly names: readonly string[] }
  | { readonly kind: 'verified'; readonly provider: CompiledProvider; readonly jwt: ParsedJwt; readonly location: TokenLocation };

export interface JwtVerdict {
  readonly status: JwtStatus;
  readonly effects: readonly JwtEffect[];
}

const NO_EFFECTS: readonly JwtEffect[] = [];
/** The verdict of a pass with nothing to apply (one object). */
export const JWT_OK: JwtVerdict = { status: 'Ok', effects: NO_EFFECTS };

/** Signature results of this request's tokens, per provider (failures are not cached across requests). */
type Signatures = Map<CompiledProvider, Map<string, JwtStatus>>;

const PENDING = 'Pending';
type Step = JwtStatus | typeof PENDING;

/** One synchronous walk of the tree; reused (a walk never spans an await), so a request without a token allocates nothing. */
interface Walk {
  req: JwtRequest;
  now: number;
  sigs: Signatures | undefined;
  pending: { provider: CompiledProvider; jwt: ParsedJwt } | undefined;
  effects: JwtEffect[] | undefined;
}

/** Providers by issuer for allow_missing[_or_failed] (JwksCache::findByIssuer): the first with it, else the first without issuer. */
export interface IssuerIndex {
  readonly byIssuer: ReadonlyMap<string, CompiledProvider>;
  readonly anyIssuer: CompiledProvider | undefined;
}

/**
 * Envoy's verifier tree over a request: synchronous up to a signature this request has not checked
 * yet (a verified token in a provider's cache needs none); then the walk stops, jose checks that
 * signature, and the walk runs again from the top with the result — so the order of checks, the
 * status chosen and the effects are those of Envoy's synchronous local-JWKS path, and no effect of
 * an unfinished walk ever reaches the request.
 */
export class JwtVerifier {
  private readonly walk: Walk = { req: { method: '', path: '', headers: {} }, now: 0, sigs: undefined, pending: undefined, effects: undefined };

  constructor(private readonly issuers: IssuerIndex) {}

  verify(root: VerifierNode, req: JwtRequest, nowSeconds: number): JwtVerdict | Promise<JwtVerdict> {
    const first = this.run(root, req, nowSeconds, undefined);
    return first === undefined ? this.slow(root, req, nowSeconds) : first;
  }

  private async slow(root: VerifierNode, req: JwtRequest, now: number): Promise<JwtVerdict> {
    const sigs: Signatures = new Map();
    for (;;) {
      const p = this.walk.pending;
      if (p === undefined) throw new Error('jwt_authn: a walk stopped without a pending signature');
      const status = await verifySignature(p.jwt, p.provider.keys);
      let byToken = sigs.get(p.provider);
      if (byToken === undefined) sigs.set(p.provider, (byToken = new Map()));
      byToken.set(p.jwt.token, status);
      const v = this.run(root, req, now, sigs);
      if (v !== undefined) return v;
    }
  }

  /** undefined = stopped at a signature (walk.pending says which). */
  private run(root: VerifierNode, req: JwtRequest, now: number, sigs: Signatures | undefined): JwtVerdict | undefined {
    const w = this.walk;
    w.req = req;
    w.now = now;
    w.sigs = sigs;
    w.pending = undefined;
    w.effects = undefined;
    const status = this.node(root);
    const effects = w.effects ?? NO_EFFECTS;
    w.effects = undefined;
    if (status === PENDING) return undefined;
    return status === 'Ok' && effects === NO_EFFECTS ? JWT_OK : { status, effects };
  }

  private node(n: VerifierNode): Step {
    switch (n.kind) {
      case 'allowAll':
        return 'Ok';
      case 'provider':
        return this.authenticate(n.extractor, n.provider, false, false);
      case 'allowMissing':
        return this.authenticate(n.extractor, undefined, false, true);
      case 'allowFailed':
        return this.authenticate(n.extractor, undefined, true, true);
      case 'all':
        for (const c of n.children) {
          const r = this.node(c);
          if (r !== 'Ok') return r;
        }
        return 'Ok';
      case 'any':
        return this.any(n.children, n.allowMissing, n.allowFailed);
    }
  }

  /** AnyVerifierImpl: Ok on the first child that is; else prefer a real error over JwtMissed/JwtUnknownIssuer. */
  private any(children: readonly VerifierNode[], allowMissing: boolean, allowFailed: boolean): Step {
    let final: JwtStatus = 'JwtMissed';
    for (const c of children) {
      const r = this.node(c);
      if (r === PENDING || r === 'Ok') return r;
      if ((r !== 'JwtMissed' && r !== 'JwtUnknownIssuer') || final === 'JwtMissed') final = r;
    }
    if (allowFailed || (allowMissing && final === 'JwtMissed')) return 'Ok';
    return final;
  }

  /** AuthenticatorImpl: every token must pass (last first), unless failures or absence are allowed. */
  private authenticate(x: Extractor, provider: CompiledProvider | undefined, allowFailed: boolean, allowMissing: boolean): Step {
    if (x.sanitize.length > 0) this.effect({ kind: 'sanitize', names: x.sanitize });
    const tokens = extractTokens(x, this.walk.req);
    let status: JwtStatus = 'JwtMissed';
    for (let i = tokens.length - 1; i >= 0; i--) {
      const r = this.token(tokens[i], provider);
      if (r === PENDING) return r;
      status = r;
      if (r !== 'Ok' && !allowFailed && !allowMissing) break;
    }
    if (allowFailed || (allowMissing && status === 'JwtMissed')) return 'Ok';
    return status;
  }

  private token(t: ExtractedToken, provider: CompiledProvider | undefined): Step {
    const w = this.walk;
    const cached = provider?.cache.lookup(t.value, w.now);
    const parsed = cached ?? parseJwt(t.value);
    if (typeof parsed === 'string') return parsed;
    if (!issuerAllowed(t.location.issuers, parsed.iss)) return 'JwtUnknownIssuer';
    const p = provider ?? this.issuers.byIssuer.get(parsed.iss) ?? this.issuers.anyIssuer;
    if (p === undefined) return 'JwtUnknownIssuer';
    const time = checkTime(parsed, w.now, p.skewSeconds);
    if (time !== 'Ok') return time;
    if (!audiencesAllowed(p, parsed.audiences)) return 'JwtAudienceNotAllowed';
    if (cached === undefined) {
      if (p.keys.length === 0) return 'JwksNoValidKeys';
      const sig = w.sigs?.get(p)?.get(parsed.token);
      if (sig === undefined) {
        w.pending = { provider: p, jwt: parsed };
        return PENDING;
      }
      if (sig !== 'Ok') return sig;
      if (provider !== undefined) provider.cache.insert(parsed);
    }
    this.effect({ kind: 'verified', provider: p, jwt: parsed, location: t.location });
    return 'Ok';
  }

  private effect(e: JwtEffect): void {
    (this.walk.effects ??= []).push(e);
  }
}
