import { bearerToken, spiffeId, type Authenticator, type Caller } from '@trellis/mesh-ca';
import type { KubeClient } from '../client/kube-client';

/** Istio's `TOKEN_AUDIENCES` default. */
export const ISTIO_CA_AUDIENCE = 'istio-ca';

interface TokenReviewStatus {
  authenticated?: boolean;
  error?: string;
  audiences?: string[];
  user?: { username?: string };
}

export interface KubeJwtOptions {
  readonly trustDomain: string;
  /** Audiences a bound (projected) token must carry; default `['istio-ca']`. */
  readonly audiences?: readonly string[];
}

/** The JWT's `aud` claim, or undefined for a token without one (a legacy Secret-based token). */
function audienceClaim(token: string): unknown {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { aud?: unknown };
    return payload.aud;
  } catch {
    return undefined;
  }
}

/**
 * Istio's KubeJWTAuthenticator: a TokenReview of the caller's ServiceAccount token; the identity is
 * `system:serviceaccount:<ns>:<sa>` → `spiffe://<td>/ns/<ns>/sa/<sa>`. Bound tokens (with an `aud`
 * claim: projected, audience `istio-ca`) are reviewed for the CA's audiences; legacy Secret tokens
 * (Kubernetes ≤ 1.20 without projection, no `aud`) are reviewed without audiences, as Istio's
 * first-party-jwt policy does.
 */
export function kubeJwtAuthenticator(client: KubeClient, options: KubeJwtOptions): Authenticator {
  const audiences = [...(options.audiences ?? [ISTIO_CA_AUDIENCE])];
  return {
    type: 'kube-jwt',
    authenticate: async ({ authorization }): Promise<Caller> => {
      const token = bearerToken(authorization);
      if (token === undefined) throw new Error('no Bearer token in the authorization metadata');
      const bound = audienceClaim(token) !== undefined;
      const spec = bound ? { token, audiences } : { token };
      const review = await client.request<{ status?: TokenReviewStatus }>('POST', '/apis/authentication.k8s.io/v1/tokenreviews', {
        body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec },
      });
      const status = review.status ?? {};
      if (status.authenticated !== true) throw new Error(`TokenReview did not authenticate the token${status.error ? `: ${status.error}` : ''}`);
      if (bound && !audiences.some((a) => status.audiences?.includes(a))) throw new Error(`token audiences ${JSON.stringify(status.audiences ?? [])} do not include ${audiences.join(', ')}`);
      const [, namespace, serviceAccount] = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(status.user?.username ?? '') ?? [];
      if (namespace === undefined || serviceAccount === undefined) throw new Error(`token user "${status.user?.username ?? ''}" is not a ServiceAccount`);
      return { identities: [spiffeId(options.trustDomain, namespace, serviceAccount)], authenticator: 'kube-jwt' };
    },
  };
}
