/**
 * Subscription name sets, one per distinct frozen name list. Byte-identical requests decode to one
 * frozen object (proto/request-intern.ts), so the proxies of a namespace that subscribe to the same
 * EDS names share one Set: built and checked once, not 2 000 times, and their selections are found
 * by the Set's identity (packed-set.ts). Lists that are not frozen get a Set of their own each time.
 */
import type { PackedType } from './packed-set';

const sets = new WeakMap<readonly string[], ReadonlySet<string>>();
const known = new WeakMap<readonly string[], { readonly packed: PackedType; readonly all: boolean }>();

/** The names of `list` without the wildcard `*`. Never mutate the result: it may be shared. */
export function nameSet(list: readonly string[]): ReadonlySet<string> {
  const cached = sets.get(list);
  if (cached !== undefined) return cached;
  const set = new Set(list.filter((n) => n !== '*'));
  if (Object.isFrozen(list)) sets.set(list, set);
  return set;
}

/** Whether every name of `list` is a resource of `packed` (no `*`). */
export function allKnown(list: readonly string[], packed: PackedType): boolean {
  const cached = known.get(list);
  if (cached?.packed === packed) return cached.all;
  let all = true;
  for (const name of list) {
    if (name === '*' || !packed.has(name)) {
      all = false;
      break;
    }
  }
  if (Object.isFrozen(list)) known.set(list, { packed, all });
  return all;
}
