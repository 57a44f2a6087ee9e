import type { JwtAuthnOutcome } from '@trellis/mesh-proxy';
import type { RbacExplanation } from '@trellis/mesh-rbac';

/** The request `trellis x authz check` asks about, as the target proxy would see it. */
export interface CheckRequest {
  readonly method: string;
  /** With query. */
  readonly path: string;
  readonly authority: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
}

/** The connection it arrives on. */
export interface CheckConnection {
  readonly sourceIp: string;
  readonly destinationIp: string;
  readonly destinationPort: number;
  /** The client's SPIFFE identity when it speaks mTLS (a sidecar or gateway); undefined = plaintext. */
  readonly principal: string | undefined;
  readonly sni?: string;
}

/** What one filter of the chain did. */
export type CheckStep =
  | { readonly kind: 'jwt_authn'; readonly filter: string; readonly outcome: JwtAuthnOutcome }
  | { readonly kind: 'rbac'; readonly filter: string; readonly shadow: boolean; readonly explanation: RbacExplanation }
  | { readonly kind: 'ext_authz'; readonly filter: string; readonly enabled: boolean; readonly authorizer: string };

/**
 * The verdict: ALLOWED, DENIED (with the local reply the proxy sends), or CUSTOM — an external
 * authorizer decides, which the check cannot ask offline.
 */
export interface CheckVerdict {
  readonly decision: 'ALLOWED' | 'DENIED' | 'CUSTOM';
  readonly status?: number;
  readonly body?: string;
  /** The step that decided (absent: nothing denied, so the request reaches the router). */
  readonly decidedBy?: CheckStep;
  readonly steps: readonly CheckStep[];
}
