import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { authenticateCaller } from './authenticator';
import { issueLocalToken, localTokenAuthenticator } from './local-token';
import { loadOrCreateLocalTokenKey } from './local-token-key';

describe('local workload tokens', () => {
  const key = randomBytes(32);
  const auth = localTokenAuthenticator(key, 'cluster.local');
  const peer = 'ipv4:127.0.0.1:1';

  it('authenticate the ServiceAccount they were issued for', async () => {
    const caller = await auth.authenticate({ authorization: `Bearer ${issueLocalToken(key, 'default', 'bookinfo-ratings')}`, peer });
    expect(caller.identities).toEqual(['spiffe://cluster.local/ns/default/sa/bookinfo-ratings']);
  });

  it('refuse tokens from another key, edited claims, and no token (CA_UNAUTHENTICATED with reasons)', async () => {
    const forged = issueLocalToken(randomBytes(32), 'default', 'x');
    const [p, , s] = issueLocalToken(key, 'default', 'x').split('.');
    const edited = `${p}.${Buffer.from('{"ns":"istio-system","sa":"istiod"}').toString('base64url')}.${s}`;
    for (const authorization of [`Bearer ${forged}`, `Bearer ${edited}`, undefined, 'Basic abc']) {
      await expect(authenticateCaller([auth], { authorization, peer })).rejects.toMatchObject({ code: 'CA_UNAUTHENTICATED', context: { reasons: [expect.stringMatching(/^local-token: /)] } });
    }
  });

  it('key file is created once with mode 0600 and reused', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-token-'));
    try {
      const file = path.join(dir, 'state', 'workload-token.key');
      const first = await loadOrCreateLocalTokenKey(file);
      expect(first).toHaveLength(32);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect((await loadOrCreateLocalTokenKey(file)).equals(first)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
