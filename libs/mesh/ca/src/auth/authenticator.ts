import { errorMessage } from '@trellis/shared';
import { CaErrorCode, caError } from '../errors';

/** What a CA request carries that can prove who sent it. */
export interface AuthRequest {
  /** The `authorization` metadata (`Bearer <token>`), if any. */
  readonly authorization: string | undefined;
  readonly peer: string;
}

/** An authenticated caller: the identities (SPIFFE URIs) it may get certificates for. */
export interface Caller {
  readonly identities: readonly string[];
  /** Which authenticator accepted it (`kube-jwt`, `local-token`). */
  readonly authenticator: string;
}

/**
 * One way to authenticate a CSR (Istio's security.Authenticator). Throws (any error) when the
 * request does not authenticate; the reason is kept for the UNAUTHENTICATED answer.
 */
export interface Authenticator {
  readonly type: string;
  authenticate(request: AuthRequest): Promise<Caller>;
}

/** The token of `Bearer <token>` (scheme case-insensitive), else undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const m = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return m?.[1];
}

/** Try each authenticator in order (as Istio's server.Authenticate); the first success wins. */
export async function authenticateCaller(authenticators: readonly Authenticator[], request: AuthRequest): Promise<Caller> {
  const reasons: string[] = [];
  for (const a of authenticators) {
    try {
      return await a.authenticate(request);
    } catch (err) {
      reasons.push(`${a.type}: ${errorMessage(err)}`);
    }
  }
  throw caError(CaErrorCode.unauthenticated, 'request authenticate failure', { peer: request.peer, reasons });
}
