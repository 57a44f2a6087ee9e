import { parseSpiffeId, spiffeId } from './spiffe';

describe('SPIFFE identities', () => {
  it('formats and parses spiffe://<td>/ns/<ns>/sa/<sa>', () => {
    const id = spiffeId('cluster.local', 'default', 'bookinfo-ratings');
    expect(id).toBe('spiffe://cluster.local/ns/default/sa/bookinfo-ratings');
    expect(parseSpiffeId(id)).toEqual({ trustDomain: 'cluster.local', namespace: 'default', serviceAccount: 'bookinfo-ratings' });
  });

  it.each(['http://cluster.local/ns/a/sa/b', 'spiffe://cluster.local/ns/a', 'spiffe://cluster.local/sa/a/ns/b', 'spiffe://cluster.local/ns//sa/b', 'spiffe://td/ns/a/sa/b/c'])('refuses %s', (id) => {
    expect(() => parseSpiffeId(id)).toThrow(expect.objectContaining({ code: 'CA_BAD_SPIFFE_ID' }));
  });

  it('refuses segments that would change the path', () => {
    expect(() => spiffeId('cluster.local', 'a/sa/b', 'c')).toThrow(expect.objectContaining({ code: 'CA_BAD_SPIFFE_ID' }));
  });
});
