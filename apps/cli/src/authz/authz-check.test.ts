import { emptySnapshot, type AuthorizationPolicy, type MeshSnapshot, type ProxyInfo, type RequestAuthentication } from '@trellis/mesh-api';
import { translate } from '@trellis/mesh-translate';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { DumpListener } from '../proxy-config/envoy-access';
import { pickChain } from './chain-pick';
import type { CheckConnection, CheckRequest } from './check-types';
import { evaluateChain } from './evaluate-chain';
import { renderVerdict } from './render';

// `trellis x authz check`'s core on what the translator really emits for Istio's authz-http and JWT
// policies: the chain a client reaches, then the proxy's engines in filter order.

const svc = (name: string) => ({ name, namespace: 'default', hostname: `${name}.default.svc.cluster.local`, ports: [{ name: 'http', port: 9080, targetPort: 9080, protocol: 'HTTP' as const }], selector: { app: name } });
const pod = (app: string, address: string) => ({ name: `${app}-v1-abc`, namespace: 'default', address, labels: { app }, serviceAccount: `bookinfo-${app}`, sidecar: true, ready: true });

const policy = (name: string, spec: AuthorizationPolicy['spec']): AuthorizationPolicy => ({ apiVersion: 'security.istio.io/v1', kind: 'AuthorizationPolicy', metadata: { name, namespace: 'default' }, spec });
const DETAILS_VIEWER = policy('details-viewer', {
  selector: { matchLabels: { app: 'details' } },
  action: 'ALLOW',
  rules: [{ from: [{ source: { principals: ['cluster.local/ns/default/sa/bookinfo-productpage'] } }], to: [{ operation: { methods: ['GET'] } }] }],
});
const DENY_ADMIN = policy('deny-admin', { selector: { matchLabels: { app: 'details' } }, action: 'DENY', rules: [{ to: [{ operation: { paths: ['/admin*'] } }] }] });

function snapshot(extra: Partial<MeshSnapshot>): MeshSnapshot {
  return { ...emptySnapshot(), services: [svc('details'), svc('productpage')], workloads: [pod('details', '10.0.0.11'), pod('productpage', '10.0.0.12')], ...extra };
}

const DETAILS: ProxyInfo = { id: 'sidecar~10.0.0.11~details-v1-abc.default~default.svc.cluster.local', type: 'sidecar', ipAddress: '10.0.0.11', workloadName: 'details-v1-abc', namespace: 'default', labels: { app: 'details' }, serviceAccount: 'bookinfo-details', interception: 'REDIRECT' };

function detailsListeners(extra: Partial<MeshSnapshot>): DumpListener[] {
  return translate(snapshot(extra), DETAILS, { mtls: true }).listeners as unknown as DumpListener[];
}

const PRODUCTPAGE: CheckConnection = { sourceIp: '10.0.0.12', destinationIp: '10.0.0.11', destinationPort: 9080, principal: 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage' };
const PLAIN: CheckConnection = { sourceIp: '10.0.0.99', destinationIp: '10.0.0.11', destinationPort: 9080, principal: undefined };
const get = (path: string, method = 'GET', headers: Record<string, string> = {}): CheckRequest => ({ method, path, authority: 'details.default.svc.cluster.local:9080', headers });

async function check(extra: Partial<MeshSnapshot>, req: CheckRequest, conn: CheckConnection) {
  const chain = pickChain(detailsListeners(extra), 9080, { inbound: true, mtls: conn.principal !== undefined, tcp: false });
  if (chain === undefined) throw new Error('no chain for 9080');
  return { chain, verdict: await evaluateChain(chain, req, conn) };
}

describe('trellis x authz check (simulated on translated listeners)', () => {
  it('picks the mTLS chain for a sidecar client and the plaintext one otherwise', async () => {
    expect((await check({}, get('/'), PRODUCTPAGE)).chain.tls).toBe(true);
    expect((await check({}, get('/'), PLAIN)).chain.tls).toBe(false);
  });

  it('allows everything without policies and says nothing applies', async () => {
    const { verdict } = await check({}, get('/details/0'), PLAIN);
    expect(verdict.decision).toBe('ALLOWED');
    expect(renderVerdict([], verdict).join('\n')).toContain('no authorization applies to this workload');
  });

  it('details-viewer: GET from productpage allowed by the policy; POST denied with the method as the near miss', async () => {
    const ok = await check({ authorizationPolicies: [DETAILS_VIEWER] }, get('/details/0'), PRODUCTPAGE);
    expect(ok.verdict.decision).toBe('ALLOWED');
    expect(renderVerdict([], ok.verdict).join('\n')).toContain('allowed by ALLOW policy details-viewer.default rule[0]');
    const post = await check({ authorizationPolicies: [DETAILS_VIEWER] }, get('/details/0', 'POST'), PRODUCTPAGE);
    expect([post.verdict.decision, post.verdict.status, post.verdict.body]).toEqual(['DENIED', 403, 'RBAC: access denied']);
    expect(renderVerdict([], post.verdict).join('\n')).toContain('✗ details-viewer.default rule[0]: method POST not in [GET]');
  });

  it('details-viewer: a client without mTLS is denied for want of a peer certificate', async () => {
    const { verdict } = await check({ authorizationPolicies: [DETAILS_VIEWER] }, get('/details/0'), PLAIN);
    expect(verdict.decision).toBe('DENIED');
    expect(renderVerdict([], verdict).join('\n')).toContain('no peer certificate (mTLS required for principals)');
  });

  it('DENY is enforced before ALLOW and names the deciding policy', async () => {
    const { verdict } = await check({ authorizationPolicies: [DETAILS_VIEWER, DENY_ADMIN] }, get('/admin/x'), PRODUCTPAGE);
    expect(verdict.decision).toBe('DENIED');
    expect(renderVerdict([], verdict).join('\n')).toContain('DENY policy deny-admin.default rule[0] matched');
  });

  it('allow-nothing (spec: {}) denies and reads as a policy matching nothing', async () => {
    const { verdict } = await check({ authorizationPolicies: [policy('allow-nothing', {})] }, get('/'), PRODUCTPAGE);
    expect(verdict.decision).toBe('DENIED');
    expect(renderVerdict([], verdict).join('\n')).toContain('✗ allow-nothing.default rule[0]: the policy matches nothing (it has no rules)');
  });

  describe('with a RequestAuthentication (inline JWKS) and a DENY for requests without a principal', () => {
    let jwks: string;
    let token: (exp: number) => Promise<string>;
    beforeAll(async () => {
      const { publicKey, privateKey } = await generateKeyPair('RS256');
      jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256' }] });
      token = (exp) => new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setIssuer('testing@secure.istio.io').setSubject('testing@secure.istio.io').setExpirationTime(exp).sign(privateKey);
    });
    const config = (): Partial<MeshSnapshot> => ({
      requestAuthentications: [{ apiVersion: 'security.istio.io/v1', kind: 'RequestAuthentication', metadata: { name: 'jwt-example', namespace: 'default' }, spec: { selector: { matchLabels: { app: 'details' } }, jwtRules: [{ issuer: 'testing@secure.istio.io', jwks }] } } as RequestAuthentication],
      authorizationPolicies: [policy('require-jwt', { selector: { matchLabels: { app: 'details' } }, action: 'DENY', rules: [{ from: [{ source: { notRequestPrincipals: ['*'] } }] }] })],
    });

    it('no token → 403 by the DENY policy; a valid token → allowed; a bad one → 401 from jwt_authn', async () => {
      expect((await check(config(), get('/headers'), PLAIN)).verdict).toMatchObject({ decision: 'DENIED', status: 403 });
      const valid = await token(Math.floor(Date.now() / 1000) + 3600);
      expect((await check(config(), get('/headers', 'GET', { authorization: `Bearer ${valid}` }), PLAIN)).verdict.decision).toBe('ALLOWED');
      const bad = await check(config(), get('/headers', 'GET', { authorization: 'Bearer deadbeef' }), PLAIN);
      expect(bad.verdict).toMatchObject({ decision: 'DENIED', status: 401, body: 'Jwt is not in the form of Header.Payload.Signature with two dots and 3 sections' });
    });

    it('an expired token is 401 Jwt is expired', async () => {
      const expired = await token(Math.floor(Date.now() / 1000) - 3600);
      expect((await check(config(), get('/headers', 'GET', { authorization: `Bearer ${expired}` }), PLAIN)).verdict).toMatchObject({ status: 401, body: 'Jwt is expired' });
    });
  });
});
