import { applyPatch } from './apply';
import { createPatch, jsonEqual } from './diff';
import { escapePointerToken, parsePointer, unescapePointerToken } from './pointer';

describe('JSON pointer escaping', () => {
  it('escapes ~ before / and round-trips', () => {
    expect(escapePointerToken('sidecar.istio.io/status')).toBe('sidecar.istio.io~1status');
    expect(escapePointerToken('a~/b')).toBe('a~0~1b');
    expect(unescapePointerToken('a~0~1b')).toBe('a~/b');
    expect(parsePointer('/metadata/annotations/x~01')).toEqual(['metadata', 'annotations', 'x~1']);
  });
});

describe('createPatch', () => {
  it('adds a missing map as a whole object and escapes keys', () => {
    const ops = createPatch({ metadata: { name: 'p' } }, { metadata: { name: 'p', annotations: { 'sidecar.istio.io/status': '{}' } } });
    expect(ops).toEqual([{ op: 'add', path: '/metadata/annotations', value: { 'sidecar.istio.io/status': '{}' } }]);
  });

  it('adds keys to an existing map with ~1 escaping', () => {
    const ops = createPatch({ a: { 'x/y': '1' } }, { a: { 'x/y': '1', 'p~q': '2' } });
    expect(ops).toEqual([{ op: 'add', path: '/a/p~0q', value: '2' }]);
  });

  it('inserts at the front of an array without touching the rest', () => {
    const ops = createPatch({ c: [{ name: 'app' }] }, { c: [{ name: 'proxy' }, { name: 'app' }] });
    expect(ops).toEqual([{ op: 'add', path: '/c/0', value: { name: 'proxy' } }]);
  });

  it('patches equal-length arrays element-wise and removes from the end', () => {
    expect(createPatch({ c: [{ n: 1, i: 'a' }] }, { c: [{ n: 1, i: 'b' }] })).toEqual([{ op: 'replace', path: '/c/0/i', value: 'b' }]);
    expect(createPatch({ c: [1, 2, 3, 4] }, { c: [1, 4] })).toEqual([
      { op: 'remove', path: '/c/2' },
      { op: 'remove', path: '/c/1' },
    ]);
  });

  it('treats undefined members as absent and type changes as replace', () => {
    expect(createPatch({ a: 1, b: undefined }, { a: 1 })).toEqual([]);
    expect(createPatch({ a: [1] }, { a: { x: 1 } })).toEqual([{ op: 'replace', path: '/a', value: { x: 1 } }]);
    expect(createPatch(1, 2)).toEqual([{ op: 'replace', path: '', value: 2 }]);
  });

  it.each([
    [{ a: [1, 2, 3], b: { c: 'd' } }, { a: [0, 1, 3, 5], b: {}, e: null }],
    [{ l: [{ x: 1 }, { y: 2 }, { z: 3 }] }, { l: [{ z: 3 }, { y: 2 }] }],
    [{ 'k/~': { 'a/b': [true] } }, { 'k/~': { 'a/b': [false, true], '~': 'x' } }],
    [[1, 2], [3]],
  ])('round-trips %j → %j', (a, b) => {
    expect(jsonEqual(applyPatch(a, createPatch(a, b)), b)).toBe(true);
  });
});

describe('applyPatch', () => {
  it('does not mutate its input and supports test and "-"', () => {
    const doc = { a: [1] };
    const out = applyPatch(doc, [{ op: 'test', path: '/a/0', value: 1 }, { op: 'add', path: '/a/-', value: 2 }]);
    expect(out).toEqual({ a: [1, 2] });
    expect(doc).toEqual({ a: [1] });
  });

  it('fails like the apiserver when a parent map is missing', () => {
    expect(() => applyPatch({ metadata: {} }, [{ op: 'add', path: '/metadata/annotations/x', value: 'y' }])).toThrow(
      expect.objectContaining({ code: 'PATCH_FAILED' }),
    );
    expect(() => applyPatch({ a: 1 }, [{ op: 'remove', path: '/b' }])).toThrow(expect.objectContaining({ code: 'PATCH_FAILED' }));
  });
});
