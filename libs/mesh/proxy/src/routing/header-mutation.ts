import type { HeaderMutations, HeaderValueOption } from '../config/envoy-types';
import { invalid } from '../config/proto';

export type HeaderMap = Record<string, string | string[] | undefined>;

type Action = 'append' | 'overwrite' | 'add_if_absent' | 'overwrite_if_exists';

interface HeaderAdd {
  readonly key: string;
  readonly value: string;
  readonly action: Action;
}

/** Header adds/removes for one direction, merged across levels at apply time. */
export interface HeaderEdits {
  readonly add: readonly HeaderAdd[];
  readonly remove: readonly string[];
}

export const NO_EDITS: HeaderEdits = { add: [], remove: [] };

function compileAdd(resource: string, o: HeaderValueOption): HeaderAdd {
  const key = o.header?.key;
  if (typeof key !== 'string' || key === '') throw invalid(resource, 'header to add without key');
  const value = o.header?.value ?? '';
  // A BoolValue, or a plain boolean in proto JSON (an EnvoyFilter's TypedStruct).
  const append: unknown = o.append;
  let action: Action = (typeof append === 'boolean' ? append : o.append?.value) === false ? 'overwrite' : 'append';
  if (o.append_action === 'OVERWRITE_IF_EXISTS_OR_ADD') action = 'overwrite';
  else if (o.append_action === 'ADD_IF_ABSENT') action = 'add_if_absent';
  else if (o.append_action === 'OVERWRITE_IF_EXISTS') action = 'overwrite_if_exists';
  return { key: key.toLowerCase(), value, action };
}

export interface EditPair {
  readonly request: HeaderEdits;
  readonly response: HeaderEdits;
}

/** Compile one level's four lists. */
export function compileEdits(resource: string, m: HeaderMutations): EditPair {
  const edits = (add: readonly HeaderValueOption[] | undefined, remove: readonly string[] | undefined): HeaderEdits => {
    if (!add?.length && !remove?.length) return NO_EDITS;
    return {
      add: (add ?? []).map((o) => compileAdd(resource, o)),
      remove: (remove ?? []).map((r) => r.toLowerCase()),
    };
  };
  return {
    request: edits(m.request_headers_to_add, m.request_headers_to_remove),
    response: edits(m.response_headers_to_add, m.response_headers_to_remove),
  };
}

/** Concatenate levels, most specific first (Envoy applies route, then vhost, then route config). */
export function mergeEdits(levels: readonly HeaderEdits[]): HeaderEdits {
  const used = levels.filter((l) => l !== NO_EDITS);
  if (used.length === 0) return NO_EDITS;
  if (used.length === 1) return used[0];
  return { add: used.flatMap((l) => l.add), remove: used.flatMap((l) => l.remove) };
}

export function applyEdits(edits: HeaderEdits, headers: HeaderMap): void {
  for (let i = 0; i < edits.remove.length; i++) delete headers[edits.remove[i]];
  for (let i = 0; i < edits.add.length; i++) {
    const a = edits.add[i];
    const current = headers[a.key];
    if (current === undefined) {
      if (a.action !== 'overwrite_if_exists') headers[a.key] = a.value;
    } else if (a.action === 'overwrite' || a.action === 'overwrite_if_exists') {
      headers[a.key] = a.value;
    } else if (a.action === 'append') {
      headers[a.key] = typeof current === 'string' ? [current, a.value] : [...current, a.value];
    }
  }
}
