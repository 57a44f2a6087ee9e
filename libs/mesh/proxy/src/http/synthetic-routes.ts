import { NO_PER_FILTER } from './per-filter-config';
import { NO_EDITS } from '../routing/header-mutation';
import type { CompiledRoute } from '../routing/route-table';
import { SSL_REDIRECT } from '../routing/redirect';

/** The route of a request that has not been (or could not be) routed: no action, no edits. */
export const UNROUTED: CompiledRoute = {
  name: '',
  vhostName: '',
  match: { kind: 'prefix', value: '/', regex: undefined, caseSensitive: true, headers: [], query: [] },
  forward: undefined,
  redirect: undefined,
  direct: undefined,
  perFilter: NO_PER_FILTER,
  requestEdits: NO_EDITS,
  responseEdits: NO_EDITS,
  operation: undefined,
  rateLimits: [],
};

const passthrough = new Map<string, CompiledRoute>();

/** virtualOutbound's tcp_proxy → ORIGINAL_DST cluster, as an HTTP route to the request's authority. */
export function passthroughRoute(cluster: string): CompiledRoute {
  let r = passthrough.get(cluster);
  if (r === undefined) {
    r = {
      ...UNROUTED,
      name: 'allow_any',
      vhostName: 'allow_any',
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
    };
    passthrough.set(cluster, r);
  }
  return r;
}

/** What a `require_tls` virtual host answers a request not over TLS with (Envoy's SSL_REDIRECT_ROUTE: no edits, no per-filter config). */
export function sslRedirectRoute(vhostName: string): CompiledRoute {
  return { ...UNROUTED, vhostName, redirect: SSL_REDIRECT };
}
