import { allKnown, nameSet } from './name-sets';
import type { PackedEntry, PackedType } from './packed-set';

const packedOf = (...names: string[]): PackedType => new Map(names.map((n) => [n, { name: n } as PackedEntry]));

describe('name sets', () => {
  it('shares one Set per frozen list, without the wildcard', () => {
    const list = Object.freeze(['*', 'a', 'b']);
    const set = nameSet(list);
    expect([...set]).toEqual(['a', 'b']);
    expect(nameSet(list)).toBe(set);
  });

  it('gives an unfrozen list a Set of its own each time (it may change)', () => {
    const list = ['a'];
    const first = nameSet(list);
    list.push('b');
    expect([...nameSet(list)]).toEqual(['a', 'b']);
    expect([...first]).toEqual(['a']);
  });

  it('checks every name against the packed set, once per (frozen list, packed set)', () => {
    const list = Object.freeze(['a', 'b']);
    const both = packedOf('a', 'b');
    expect(allKnown(list, both)).toBe(true);
    expect(allKnown(list, packedOf('a'))).toBe(false);
    expect(allKnown(Object.freeze(['*', 'a']), both)).toBe(false);
    expect(allKnown(list, both)).toBe(true);
  });
});
