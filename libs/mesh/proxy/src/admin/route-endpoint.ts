import type { ConfigStore } from '../config/config-store';
import type { ProxyContext } from '../proxy-context';
import { explainRoute } from './route-explain';
import { parseRouteQuery } from './route-query';

/** The admin path of Trellis's own read-only route explain (Envoy's admin has no such endpoint). */
export const ROUTE_EXPLAIN_PATH = '/trellis/route';

/** `GET /trellis/route?host=&path=&method=&header=name:value&port=` → the RouteExplanation as JSON; bad input → 400 naming the parameter. */
export function routeExplainReply(ctx: ProxyContext, store: ConfigStore, url: URL, method: string): { status: number; type: string; body: string } {
  if (method !== 'GET') return { status: 405, type: 'text/plain; charset=UTF-8', body: 'This endpoint requires GET\n' };
  const q = parseRouteQuery(url.searchParams);
  if ('error' in q) return { status: 400, type: 'text/plain; charset=UTF-8', body: `${q.error}\n` };
  return { status: 200, type: 'application/json', body: JSON.stringify(explainRoute(ctx, store, q), null, 2) };
}
