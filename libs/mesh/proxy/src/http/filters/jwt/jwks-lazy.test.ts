/** jose is loaded on the first signature check, not when the filter module loads (proxy RSS, #18). */
import { parseJwks, verifySignature } from './jwks';
import { parseJwt } from './parse';
import type { ParsedJwt } from './parse';

const mockLoads = { count: 0 };
jest.mock('jose', () => {
  mockLoads.count += 1;
  return jest.requireActual('jose');
});

type Jose = typeof import('jose');

it('loads jose only when a token signature is checked', async () => {
  expect(mockLoads.count).toBe(0);
  const jose = jest.requireActual<Jose>('jose');
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await jose.exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] });
  const keys = parseJwks(jwks);
  expect(keys).toHaveLength(1);
  expect(mockLoads.count).toBe(0);
  const token = await new jose.SignJWT({ iss: 'a' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' }).sign(privateKey);
  const jwt = parseJwt(token) as ParsedJwt;
  await expect(verifySignature(jwt, keys)).resolves.toBe('Ok');
  expect(mockLoads.count).toBe(1);
});
