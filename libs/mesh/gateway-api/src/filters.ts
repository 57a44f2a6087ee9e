import type { HeaderOperations, Headers, HTTPHeaderFilter, HTTPRedirect, HTTPRouteFilter } from '@trellis/mesh-api';
import { REASON, type ConfigProblem } from './conditions';

/** `set`/`add` lists → maps (names lower-cased; later duplicates ignored, as the spec says). */
function headerMap(list: readonly { name: string; value: string }[] | undefined): Record<string, string> | undefined {
  if (list === undefined || list.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const h of list) {
    const k = h.name.toLowerCase();
    if (!(k in out)) out[k] = h.value;
  }
  return out;
}

function operations(f: HTTPHeaderFilter | undefined): HeaderOperations | undefined {
  if (f === undefined) return undefined;
  const set = headerMap(f.set);
  const add = headerMap(f.add);
  const ops: HeaderOperations = { ...(set ? { set } : {}), ...(add ? { add } : {}), ...(f.remove?.length ? { remove: [...f.remove] } : {}) };
  return Object.keys(ops).length === 0 ? undefined : ops;
}

/** RequestHeaderModifier / ResponseHeaderModifier filters → VirtualService `headers`. */
export function headersOf(filters: readonly HTTPRouteFilter[] | undefined): Headers | undefined {
  const request = operations(filters?.find((f) => f.type === 'RequestHeaderModifier')?.requestHeaderModifier);
  const response = operations(filters?.find((f) => f.type === 'ResponseHeaderModifier')?.responseHeaderModifier);
  if (request === undefined && response === undefined) return undefined;
  return { ...(request ? { request } : {}), ...(response ? { response } : {}) };
}

/** RequestRedirect → VirtualService `redirect` (status code 302 unless given, the API's default). */
export function redirectOf(f: HTTPRouteFilter): { redirect?: HTTPRedirect; problem?: ConfigProblem } {
  const r = f.requestRedirect ?? {};
  if (r.path?.type === 'ReplacePrefixMatch') {
    return { problem: { reason: REASON.unsupportedValue, message: 'RequestRedirect path type ReplacePrefixMatch is not supported by Trellis' } };
  }
  const redirect: HTTPRedirect = { redirectCode: r.statusCode ?? 302 };
  if (r.scheme !== undefined) redirect.scheme = r.scheme;
  if (r.hostname !== undefined) redirect.authority = r.hostname;
  if (r.port !== undefined) redirect.port = r.port;
  if (r.path?.replaceFullPath !== undefined) redirect.uri = r.path.replaceFullPath;
  return { redirect };
}

/** Filters Trellis cannot program: the rule answers 500 and the route says why. */
export function unsupportedFilter(filters: readonly HTTPRouteFilter[] | undefined): ConfigProblem | undefined {
  const f = (filters ?? []).find((x) => x.type === 'ExtensionRef' || x.type === 'CORS');
  return f ? { reason: REASON.unsupportedValue, message: `unsupported filter type "${f.type}"` } : undefined;
}
