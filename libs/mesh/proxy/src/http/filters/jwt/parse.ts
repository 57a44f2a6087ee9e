import type { JwtStatus } from './status';

/** A JWT split and decoded as jwt_verify_lib's `Jwt::parseFromString` does it; no signature checked yet. */
export interface ParsedJwt {
  /** The compact form as it came (the cache key). */
  readonly token: string;
  readonly alg: string;
  /** '' when the header has none. */
  readonly kid: string;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Readonly<Record<string, unknown>>;
  /** The payload segment as sent (base64url): `forward_payload_header`'s value. */
  readonly payloadB64: string;
  /** '' when absent, as in Envoy. */
  readonly iss: string;
  readonly audiences: readonly string[];
  /** 0 when absent. */
  readonly nbf: number;
  readonly exp: number;
}

/** The algorithms jwt_verify_lib implements; anything else (`none` included) is JwtHeaderNotImplementedAlg. */
const ALGS: ReadonlySet<string> = new Set(['ES256', 'ES384', 'ES512', 'HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'EdDSA']);

const B64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/** absl::WebSafeBase64Unescape: the URL-safe alphabet, padding optional, no stray characters. */
export function base64UrlDecode(s: string): Buffer | undefined {
  if (!B64URL.test(s)) return undefined;
  const bare = s.replace(/=+$/, '');
  if (bare.length % 4 === 1) return undefined;
  if (s.length !== bare.length && s.length % 4 !== 0) return undefined;
  return Buffer.from(bare, 'base64url');
}

function jsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

type U64 = number | 'wrong' | 'range';

/** StructUtils::GetUInt64: absent = 0, a non-number is WRONG_TYPE, negative or ≥ 2^64 OUT_OF_RANGE. */
function uint64(v: unknown): U64 {
  if (v === undefined) return 0;
  if (typeof v !== 'number') return 'wrong';
  if (v < 0 || v >= 2 ** 64) return 'range';
  return Math.trunc(v);
}

/** `aud`: a string or a list of strings (StructUtils::GetStringList). */
function audiences(v: unknown): string[] | undefined {
  if (v === undefined) return [];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((a) => typeof a === 'string')) return v as string[];
  return undefined;
}

const TIME_CLAIMS = [
  ['iat', 'JwtPayloadParseErrorIatNotInteger', 'JwtPayloadParseErrorIatOutOfRange'],
  ['nbf', 'JwtPayloadParseErrorNbfNotInteger', 'JwtPayloadParseErrorNbfOutOfRange'],
  ['exp', 'JwtPayloadParseErrorExpNotInteger', 'JwtPayloadParseErrorExpOutOfRange'],
] as const;

function checkPayload(p: Record<string, unknown>): JwtStatus | { nbf: number; exp: number; audiences: string[] } {
  if (p['iss'] !== undefined && typeof p['iss'] !== 'string') return 'JwtPayloadParseErrorIssNotString';
  if (p['sub'] !== undefined && typeof p['sub'] !== 'string') return 'JwtPayloadParseErrorSubNotString';
  const times: Record<string, number> = {};
  for (const [claim, wrong, range] of TIME_CLAIMS) {
    const t = uint64(p[claim]);
    if (t === 'wrong') return wrong;
    if (t === 'range') return range;
    times[claim] = t;
  }
  if (p['jti'] !== undefined && typeof p['jti'] !== 'string') return 'JwtPayloadParseErrorJtiNotString';
  const aud = audiences(p['aud']);
  if (aud === undefined) return 'JwtPayloadParseErrorAudNotString';
  return { nbf: times['nbf'], exp: times['exp'], audiences: aud };
}

function checkHeader(h: Record<string, unknown>): JwtStatus | { alg: string; kid: string } {
  const alg = h['alg'];
  if (typeof alg !== 'string') return 'JwtHeaderBadAlg';
  if (!ALGS.has(alg)) return 'JwtHeaderNotImplementedAlg';
  const kid = h['kid'];
  if (kid !== undefined && typeof kid !== 'string') return 'JwtHeaderBadKid';
  return { alg, kid: kid ?? '' };
}

/** Parses a compact JWT in jwt_verify_lib's order of checks; the first failure is the status. */
export function parseJwt(token: string): ParsedJwt | JwtStatus {
  const parts = token.split('.').filter((s) => s !== '');
  if (parts.length !== 3) return 'JwtBadFormat';
  const headerBytes = base64UrlDecode(parts[0]);
  if (headerBytes === undefined) return 'JwtHeaderParseErrorBadBase64';
  const header = jsonObject(headerBytes);
  if (header === undefined) return 'JwtHeaderParseErrorBadJson';
  const h = checkHeader(header);
  if (typeof h === 'string') return h;
  const payloadBytes = base64UrlDecode(parts[1]);
  if (payloadBytes === undefined) return 'JwtPayloadParseErrorBadBase64';
  const payload = jsonObject(payloadBytes);
  if (payload === undefined) return 'JwtPayloadParseErrorBadJson';
  const p = checkPayload(payload);
  if (typeof p === 'string') return p;
  if (base64UrlDecode(parts[2]) === undefined) return 'JwtSignatureParseErrorBadBase64';
  const iss = payload['iss'];
  return { token, alg: h.alg, kid: h.kid, header, payload, payloadB64: parts[1], iss: typeof iss === 'string' ? iss : '', ...p };
}

/** jwt_verify_lib's `verifyTimeConstraint`: nbf with the skew, then exp with the skew (exp 0 = none). */
export function checkTime(jwt: ParsedJwt, nowSeconds: number, skewSeconds: number): JwtStatus {
  if (nowSeconds + skewSeconds < jwt.nbf) return 'JwtNotYetValid';
  if (jwt.exp !== 0 && nowSeconds > jwt.exp + skewSeconds) return 'JwtExpired';
  return 'Ok';
}
