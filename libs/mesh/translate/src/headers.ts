import type { HeaderOperations, Headers } from '@trellis/mesh-api';
import type { HeaderAppendAction, HeaderMutations, HeaderValueOption } from '@trellis/mesh-envoy';

function options(record: Record<string, string> | undefined, action: HeaderAppendAction): HeaderValueOption[] {
  return Object.keys(record ?? {})
    .sort()
    .map((key) => ({ header: { key, value: record?.[key] ?? '' }, append_action: action }));
}

function operations(ops: HeaderOperations | undefined): { add: HeaderValueOption[]; remove: string[] } {
  return {
    add: [...options(ops?.set, 'OVERWRITE_IF_EXISTS_OR_ADD'), ...options(ops?.add, 'APPEND_IF_EXISTS_OR_ADD')],
    remove: [...(ops?.remove ?? [])],
  };
}

/** Istio `headers.request/response` set/add/remove → Envoy header mutations (only non-empty fields). */
export function headerMutations(headers: Headers | undefined): HeaderMutations {
  const out: HeaderMutations = {};
  const req = operations(headers?.request);
  const res = operations(headers?.response);
  if (req.add.length > 0) out.request_headers_to_add = req.add;
  if (req.remove.length > 0) out.request_headers_to_remove = req.remove;
  if (res.add.length > 0) out.response_headers_to_add = res.add;
  if (res.remove.length > 0) out.response_headers_to_remove = res.remove;
  return out;
}

/** Concatenate two sets of header mutations (route-level first). */
export function mergeMutations(a: HeaderMutations, b: HeaderMutations): HeaderMutations {
  const out: HeaderMutations = { ...a };
  const keys = ['request_headers_to_add', 'response_headers_to_add'] as const;
  for (const k of keys) if (b[k]) out[k] = [...(a[k] ?? []), ...(b[k] ?? [])];
  const removes = ['request_headers_to_remove', 'response_headers_to_remove'] as const;
  for (const k of removes) if (b[k]) out[k] = [...(a[k] ?? []), ...(b[k] ?? [])];
  return out;
}
