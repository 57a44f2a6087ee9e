/** A value per (a, b) pair of shared objects, computed once while both live (selection transitions, versions). */
export type PairCache<A extends object, B extends object, V> = WeakMap<A, WeakMap<B, V>>;

export function cachedPair<A extends object, B extends object, V>(cache: PairCache<A, B, V>, a: A, b: B, compute: () => V): V {
  let byB = cache.get(a);
  if (byB === undefined) {
    byB = new WeakMap();
    cache.set(a, byB);
  }
  let value = byB.get(b);
  if (value === undefined) {
    value = compute();
    byB.set(b, value);
  }
  return value;
}
