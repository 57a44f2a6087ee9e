import type { PathSegment } from './set-flag';

/** A YAML/JSON object tree (an IstioOperator `spec`, a MeshConfig). */
export type Tree = { [field: string]: unknown };

export const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * istioctl's MergeFrom: maps merge field by field, anything else (scalars, lists) is replaced by the overlay.
 * Returns a new tree; neither input changes.
 */
export function mergeTrees(base: Tree, overlay: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    const b = out[k];
    out[k] = isTree(b) && isTree(v) ? mergeTrees(b, v) : structuredClone(v);
  }
  return out;
}

function child(container: unknown, seg: PathSegment, next: PathSegment | undefined): { holder: Tree | unknown[]; key: string | number } {
  const wantList = typeof next === 'number' || (typeof next === 'object' && next !== undefined);
  if (typeof seg === 'string') {
    const t = container as Tree;
    if (wantList ? !Array.isArray(t[seg]) : !isTree(t[seg])) t[seg] = wantList ? [] : {};
    return { holder: t, key: seg };
  }
  const list = container as unknown[];
  const found = typeof seg === 'number' ? seg : list.findIndex((e) => isTree(e) && String(e[seg.key]) === seg.value);
  // `[name:x]` not in the list yet (the profile's entries merge later): a new entry carrying that key.
  const at = found < 0 ? list.length : Math.min(found, list.length);
  if (!isTree(list[at])) list[at] = typeof seg === 'object' ? { [seg.key]: seg.value } : {};
  return { holder: list, key: at };
}

/** Sets `value` at `path` in a copy of `tree`, creating maps and lists on the way (istioctl's SetPath). */
export function setPath(tree: Tree, path: readonly PathSegment[], value: unknown): Tree {
  const out = structuredClone(tree);
  let container: unknown = out;
  path.forEach((seg, i) => {
    const last = i === path.length - 1;
    if (last) {
      if (typeof seg === 'string') (container as Tree)[seg] = value;
      else {
        const { holder, key } = child(container, seg, undefined);
        (holder as unknown[])[key as number] = value;
      }
      return;
    }
    const { holder, key } = child(container, seg, path[i + 1]);
    container = (holder as Record<string | number, unknown>)[key];
  });
  return out;
}
