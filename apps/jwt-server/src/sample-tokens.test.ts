import { execFile } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { calculateJwkThumbprint, createLocalJWKSet, decodeProtectedHeader, exportJWK, jwtVerify, type JSONWebKeySet } from 'jose';

// samples/jwt-server: our key pair, its JWKS, the prebuilt tokens, and tools/jwt/gen-jwt.mjs minting more.
const ROOT = path.resolve(__dirname, '../../..');
const dir = (f: string): string => path.join(ROOT, 'samples/jwt-server', f);
const jwks = JSON.parse(readFileSync(dir('jwks.json'), 'utf8')) as JSONWebKeySet;
const keySet = createLocalJWKSet(jwks);
const ISSUER = 'testing@secure.istio.io';
const genJwt = (...args: string[]): Promise<{ stdout: string }> => promisify(execFile)(process.execPath, [path.join(ROOT, 'tools/jwt/gen-jwt.mjs'), ...args], { timeout: 10000 });

describe('samples/jwt-server key material', () => {
  it('jwks.json is key.pem\'s public key with its RFC 7638 thumbprint as kid', async () => {
    const jwk = await exportJWK(createPublicKey(createPrivateKey(readFileSync(dir('key.pem'), 'utf8'))));
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toEqual({ ...jwk, kid: await calculateJwkThumbprint(jwk, 'sha256') });
  });

  it('demo.jwt: RS256, iss = sub = testing@secure.istio.io, foo: bar, valid for decades', async () => {
    const token = readFileSync(dir('demo.jwt'), 'utf8').trim();
    const { payload, protectedHeader } = await jwtVerify(token, keySet, { issuer: ISSUER, algorithms: ['RS256'] });
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT', kid: jwks.keys[0]?.kid });
    expect(payload).toMatchObject({ sub: ISSUER, foo: 'bar' });
    expect(payload.exp).toBeGreaterThan(Date.now() / 1000 + 50 * 365 * 86400);
  });

  it('groups-scope.jwt carries groups and scope lists, as Istio\'s', async () => {
    const { payload } = await jwtVerify(readFileSync(dir('groups-scope.jwt'), 'utf8').trim(), keySet, { issuer: ISSUER });
    expect(payload).toMatchObject({ sub: ISSUER, groups: ['group1', 'group2'], scope: ['scope1', 'scope2'] });
  });
});

describe('tools/jwt/gen-jwt.mjs (gen-jwt.py\'s flags)', () => {
  it('mints a token the JWKS verifies, with iss, sub, aud list, claims, list claims and expiry', async () => {
    const { stdout } = await genJwt(dir('key.pem'), '--iss', 'new-issuer@secure.istio.io', '-aud', 'foo,bar', '--claims=email:a@b.c,dead:beef', '--listclaim', 'groups', 'g1', 'g2', '--expire', '300');
    const { payload } = await jwtVerify(stdout.trim(), keySet, { issuer: 'new-issuer@secure.istio.io', audience: 'foo' });
    expect(payload).toMatchObject({ sub: 'new-issuer@secure.istio.io', aud: ['foo', 'bar'], email: 'a@b.c', dead: 'beef', groups: ['g1', 'g2'] });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
    expect(decodeProtectedHeader(stdout.trim()).kid).toBe(jwks.keys[0]?.kid);
  });

  it('an expired token (negative expire) fails verification; a bad flag exits 2', async () => {
    const { stdout } = await genJwt(dir('key.pem'), '--expire', '-10');
    await expect(jwtVerify(stdout.trim(), keySet)).rejects.toThrow(/"exp" claim timestamp check failed/);
    await expect(genJwt(dir('key.pem'), '--bogus', 'x')).rejects.toMatchObject({ code: 2 });
  });
});
