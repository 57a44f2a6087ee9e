import { request } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';

/**
 * `bench:proxy --mtls --authz`: issue #17's measured hop — one ALLOW AuthorizationPolicy (principal +
 * method + path) and one RequestAuthentication (inline JWKS) on the server sidecar, requests carrying
 * a valid token (verified once, then jwt_authn's cache), measured in the same run as mTLS alone.
 */
export interface BenchAuthz {
  /** `Authorization: Bearer <token>` for every measured request. */
  readonly authorization: string;
}

const ISSUER = 'bench@trellis.local';

async function call(base: string, body: unknown): Promise<void> {
  const res = await fetch(`${base}/api/v1/config/apply?namespace=default`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (res.status >= 300) throw new Error(`apply: ${res.status} ${await res.text()}`);
}

function policies(jwks: string): unknown[] {
  return [
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'AuthorizationPolicy',
      metadata: { name: 'bench-viewer', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'bench' } }, action: 'ALLOW', rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/default'] } }], to: [{ operation: { methods: ['GET'], paths: ['/*'] } }] }] },
    },
    {
      apiVersion: 'security.istio.io/v1',
      kind: 'RequestAuthentication',
      metadata: { name: 'bench-jwt', namespace: 'default' },
      spec: { selector: { matchLabels: { app: 'bench' } }, jwtRules: [{ issuer: ISSUER, jwks }] },
    },
  ];
}

/** GET with an explicit Host (fetch does not send a custom Host header); resolves the status. */
function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The key pair's JWKS and a valid token, made before the baseline so both rows send the same request. */
export interface BenchJwt {
  readonly jwks: string;
  readonly authorization: string;
}

export async function benchJwt(): Promise<BenchJwt> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'bench', alg: 'RS256', use: 'sig' }] });
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'bench' }).setIssuer(ISSUER).setSubject('bench').setExpirationTime('2h').sign(privateKey);
  return { jwks, authorization: `Bearer ${token}` };
}

/** Applies both policies and waits until the server sidecar enforces them (a bad token gets 401). */
export async function applyBenchAuthz(controlPlane: string, clientUrl: string, host: string, jwt: BenchJwt): Promise<BenchAuthz> {
  await call(controlPlane, { objects: policies(jwt.jwks) });
  const deadline = Date.now() + 15_000;
  for (;;) {
    const status = await get(clientUrl, { host, authorization: 'Bearer deadbeef' });
    if (status === 401) break;
    if (Date.now() > deadline) throw new Error(`authz policies not enforced after 15 s (last status ${status})`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const ok = await get(clientUrl, { host, authorization: jwt.authorization });
  if (ok !== 200) throw new Error(`a valid token and the allowed principal got ${ok}`);
  return { authorization: jwt.authorization };
}
