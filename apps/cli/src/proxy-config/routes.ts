import type { EnvoyObject } from '../client/api-types';
import { get, istioConfigOf, list, str } from './envoy-access';

export const ROUTE_HEADER = ['NAME', 'VHOST NAME', 'DOMAINS', 'MATCH', 'VIRTUAL SERVICE'];

/** istioctl's describeMatch: `/*` for prefix `/`, exact paths as is, `regex ...`. */
export function describeRouteMatch(match: unknown): string {
  const conds: string[] = [];
  const prefix = get(match, 'prefix');
  if (typeof prefix === 'string') conds.push(`${prefix}*`);
  const pathSep = str(get(match, 'path_separated_prefix'));
  if (pathSep) conds.push(`${pathSep}/*`);
  const path = str(get(match, 'path'));
  if (path) conds.push(path);
  const regex = str(get(match, 'safe_regex', 'regex'));
  if (regex) conds.push(`regex ${regex}`);
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

function isPassthrough(route: EnvoyObject): boolean {
  return str(get(route, 'route', 'cluster')) === 'PassthroughCluster';
}

/** Rows of `istioctl proxy-config route`: one per route, route configs sorted by name. */
export function routeRows(routes: readonly EnvoyObject[], name?: string): string[][] {
  const rows: string[][] = [];
  const sorted = [...routes].sort((a, b) => str(a['name']).localeCompare(str(b['name']), undefined, { numeric: true }));
  for (const rc of sorted) {
    const rcName = str(rc['name']);
    if (name && rcName !== name) continue;
    for (const vh of list(rc['virtual_hosts'])) {
      const vhName = str(vh['name']);
      const domains = describeDomains((get(vh, 'domains') as string[] | undefined) ?? [], vhName);
      const vhRoutes = list(vh['routes']);
      for (const r of vhRoutes) {
        if (!isPassthrough(r)) rows.push([rcName, vhName, domains, describeRouteMatch(r['match']), istioConfigOf(r)]);
      }
      if (vhRoutes.length === 0) rows.push([rcName, vhName, domains, '/*', '404']);
    }
  }
  return rows;
}
