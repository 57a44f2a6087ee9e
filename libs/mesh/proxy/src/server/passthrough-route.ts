import { NO_EDITS } from '../routing/header-mutation';
import type { CompiledRoute } from '../routing/route-table';

const cache = new Map<string, CompiledRoute>();

/** virtualOutbound's tcp_proxy → ORIGINAL_DST cluster, as an HTTP route to the request's authority. */
export function passthroughRoute(cluster: string): CompiledRoute {
  let r = cache.get(cluster);
  if (r === undefined) {
    r = {
      name: 'allow_any',
      vhostName: 'allow_any',
      match: { kind: 'prefix', value: '/', regex: undefined, caseSensitive: true, headers: [], query: [] },
      forward: {
        cluster,
        weighted: undefined,
        totalWeight: 0,
        timeoutMs: 0,
        prefixRewrite: undefined,
        regexRewrite: undefined,
        hostRewrite: undefined,
        retry: undefined,
        mirrors: [],
        hashPolicy: [],
      },
      redirect: undefined,
      direct: undefined,
      fault: undefined,
      requestEdits: NO_EDITS,
      responseEdits: NO_EDITS,
      operation: undefined,
    };
    cache.set(cluster, r);
  }
  return r;
}
