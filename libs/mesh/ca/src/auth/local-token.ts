import { createHmac, timingSafeEqual } from 'node:crypto';
import { spiffeId } from '../identity/spiffe';
import type { Authenticator, Caller } from './authenticator';
import { bearerToken } from './authenticator';

/**
 * Local mode's workload tokens (what a projected ServiceAccount token is in Kubernetes):
 * `tlw1.<base64url({"ns","sa"})>.<base64url(HMAC-SHA256(key, "tlw1.<payload>"))>`. The control
 * plane creates the key in its state dir (0600); the local runner, on the same machine and user,
 * reads it and gives each workload a token for its ServiceAccount. Tokens do not expire: they live
 * as long as the key, and deleting the state dir revokes them all.
 */
export const LOCAL_TOKEN_PREFIX = 'tlw1';

interface Claims {
  readonly ns: string;
  readonly sa: string;
}

function mac(key: Buffer, payload: string): Buffer {
  return createHmac('sha256', key).update(`${LOCAL_TOKEN_PREFIX}.${payload}`).digest();
}

export function issueLocalToken(key: Buffer, namespace: string, serviceAccount: string): string {
  const payload = Buffer.from(JSON.stringify({ ns: namespace, sa: serviceAccount } satisfies Claims)).toString('base64url');
  return `${LOCAL_TOKEN_PREFIX}.${payload}.${mac(key, payload).toString('base64url')}`;
}

function verify(key: Buffer, token: string): Claims {
  const [prefix, payload, signature] = token.split('.');
  if (prefix !== LOCAL_TOKEN_PREFIX || payload === undefined || signature === undefined) throw new Error('not a local workload token');
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('local workload token signature does not verify');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<Claims>;
  if (typeof claims.ns !== 'string' || typeof claims.sa !== 'string') throw new Error('local workload token has no ns/sa');
  return { ns: claims.ns, sa: claims.sa };
}

export function localTokenAuthenticator(key: Buffer, trustDomain: string): Authenticator {
  return {
    type: 'local-token',
    authenticate: async ({ authorization }): Promise<Caller> => {
      const token = bearerToken(authorization);
      if (token === undefined) throw new Error('no Bearer token in the authorization metadata');
      const claims = verify(key, token);
      return { identities: [spiffeId(trustDomain, claims.ns, claims.sa)], authenticator: 'local-token' };
    },
  };
}
