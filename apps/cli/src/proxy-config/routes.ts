import type { Received, Route, RouteMatch } from '@trellis/mesh-envoy';
import { istioConfigOf, type DumpRouteConfiguration } from './envoy-access';

export const ROUTE_HEADER = ['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'];

/** istioctl's describeMatch: `/*` for prefix `/`, exact paths as is, `regex ...`. */
export function describeRouteMatch(match: Received<RouteMatch> | undefined): string {
  const conds: string[] = [];
  if (typeof match?.prefix === 'string') conds.push(`${match.prefix}*`);
  if (match?.path_separated_prefix) conds.push(`${match.path_separated_prefix}/*`);
  if (match?.path) conds.push(match.path);
  if (match?.safe_regex?.regex) conds.push(`regex ${match.safe_regex.regex}`);
  return conds.join(' ');
}

const IP = /^(\d{1,3}\.){3}\d{1,3}$|^\[.*\]$/;

/**
 * Condenses a virtual host's domains like istioctl: drop `host:port` forms, the FQDN the vhost is
 * named after and IPs, then show the two shortest and `+ N more...`.
 */
export function describeDomains(domains: readonly string[], vhostName: string): string {
  if (domains.length === 0) return '';
  if (domains.length === 1) return domains[0] ?? '';
  const fqdn = vhostName.replace(/:\d+$/, '');
  const short = [...new Set(domains.filter((d) => !/:\d+$/.test(d) && d !== fqdn && !IP.test(d)))];
  if (short.length === 0) return fqdn || (domains[0] ?? '');
  short.sort((a, b) => a.length - b.length);
  if (short.length <= 2) return short.join(', ');
  return `${short.slice(0, 2).join(', ')} + ${short.length - 2} more...`;
}

function isPassthrough(route: Received<Route>): boolean {
  return route.route?.cluster === 'PassthroughCluster';
}

/** Rows of `istioctl proxy-config route`: one per route, route configs sorted by name. */
export function routeRows(routes: readonly DumpRouteConfiguration[], name?: string): string[][] {
  const rows: string[][] = [];
  const sorted = [...routes].sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '', undefined, { numeric: true }));
  for (const rc of sorted) {
    const rcName = rc.name ?? '';
    if (name && rcName !== name) continue;
    for (const vh of rc.virtual_hosts ?? []) {
      const vhName = vh.name ?? '';
      const domains = describeDomains(vh.domains ?? [], vhName);
      const vhRoutes = vh.routes ?? [];
      for (const r of vhRoutes) {
        if (!isPassthrough(r)) rows.push([rcName, vhName, domains, describeRouteMatch(r.match), istioConfigOf(r)]);
      }
      if (vhRoutes.length === 0) rows.push([rcName, vhName, domains, '/*', '404']);
    }
  }
  return rows;
}
