import { mergePatch } from './merge-patch';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, replaces arrays and scalars, deletes on null', () => {
    const target = { metadata: { name: 'r', labels: { a: '1' } }, spec: { hosts: ['r'], http: [{ route: [1, 2] }] } };
    expect(mergePatch(target, { metadata: { labels: { a: null, b: '2' } }, spec: { http: [{ route: [3] }] } })).toEqual({
      metadata: { name: 'r', labels: { b: '2' } },
      spec: { hosts: ['r'], http: [{ route: [3] }] },
    });
    expect(mergePatch(target, 'x')).toBe('x');
    expect(target.metadata.labels).toEqual({ a: '1' });
  });
});
