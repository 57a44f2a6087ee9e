import { effectivePath, type SplitRoute } from './matches';

const RANK = { Exact: 3, PathPrefix: 2, RegularExpression: 1 } as const;

/**
 * The spec's match precedence (istiod's sortHTTPRoutes): Exact before PathPrefix before
 * RegularExpression, longer paths first, a method match first, more header matches, then more
 * query matches; rules without matches last. Stable: ties keep route age and rule order.
 */
export function sortByPrecedence(routes: SplitRoute[]): SplitRoute[] {
  const key = (s: SplitRoute): number[] => {
    const p = effectivePath(s.match);
    if (p === undefined) return [-1, 0, 0, 0, 0];
    return [RANK[p.type], p.value.length, s.match?.method ? 1 : 0, s.match?.headers?.length ?? 0, s.match?.queryParams?.length ?? 0];
  };
  const keyed = routes.map((s, i) => ({ s, i, k: key(s) }));
  keyed.sort((a, b) => {
    for (let j = 0; j < a.k.length; j++) if ((a.k[j] ?? 0) !== (b.k[j] ?? 0)) return (b.k[j] ?? 0) - (a.k[j] ?? 0);
    return a.i - b.i;
  });
  return keyed.map((x) => x.s);
}
