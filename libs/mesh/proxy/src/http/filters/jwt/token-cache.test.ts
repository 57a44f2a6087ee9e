import type { ParsedJwt } from './parse';
import { TokenCache } from './token-cache';

const jwt = (token: string, exp = 0): ParsedJwt => ({ token, alg: 'RS256', kid: '', header: {}, payload: {}, payloadB64: '', iss: 'i', audiences: [], nbf: 0, exp });

describe('TokenCache', () => {
  it('holds at most its capacity, dropping the oldest first', () => {
    const c = new TokenCache(60, 2);
    for (const t of ['h.p.sig-one', 'h.p.sig-two', 'h.p.sig-three']) c.insert(jwt(t));
    expect([c.size, c.lookup('h.p.sig-one', 0), c.lookup('h.p.sig-two', 0)?.token, c.lookup('h.p.sig-three', 0)?.token]).toEqual([2, undefined, 'h.p.sig-two', 'h.p.sig-three']);
  });

  it('a token ending like a cached one is a miss (the whole token must match)', () => {
    const c = new TokenCache(60);
    const sig = 'S'.repeat(64);
    c.insert(jwt(`h.payload-a.${sig}`));
    expect(c.lookup(`h.payload-a.${sig}`, 0)).toBeDefined();
    expect(c.lookup(`h.payload-b.${sig}`, 0)).toBeUndefined();
  });

  it('drops an entry whose exp passed beyond the skew', () => {
    const c = new TokenCache(60);
    c.insert(jwt('h.p.s', 100));
    expect(c.lookup('h.p.s', 160)).toBeDefined();
    expect(c.lookup('h.p.s', 161)).toBeUndefined();
    expect(c.size).toBe(0);
  });
});
