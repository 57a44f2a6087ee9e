import type { EnvoyObject } from '../client/api-types';
import { get, list, str } from './envoy-access';
import { describeRouteMatch } from './routes';

export const LISTENER_HEADER = ['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'];

const HCM = 'envoy.filters.network.http_connection_manager';
const TCP_PROXY = 'envoy.filters.network.tcp_proxy';

/** Rows of `istioctl proxy-config listener`: one per filter chain, sorted by port then address. */
export function listenerRows(listeners: readonly EnvoyObject[], port?: string): string[][] {
  const rows: { port: number; row: string[] }[] = [];
  for (const l of listeners) {
    const address = str(get(l, 'address', 'socket_address', 'address'));
    const portValue = Number(get(l, 'address', 'socket_address', 'port_value') ?? 0);
    if (port && String(portValue) !== port) continue;
    const chains = list(l['filter_chains']);
    if (chains.length === 0) {
      rows.push({ port: portValue, row: [address, String(portValue), 'ALL', fallbackDestination(l)] });
      continue;
    }
    for (const chain of chains) {
      rows.push({ port: portValue, row: [address, String(portValue), describeChainMatch(chain), describeDestination(chain, l)] });
    }
  }
  return rows.sort((a, b) => a.port - b.port || (a.row[0] ?? '').localeCompare(b.row[0] ?? '')).map((r) => r.row);
}

function describeChainMatch(chain: EnvoyObject): string {
  const m = get(chain, 'filter_chain_match');
  const conds: string[] = [];
  const sni = get(m, 'server_names');
  if (Array.isArray(sni) && sni.length > 0) conds.push(`SNI: ${sni.join(',')}`);
  const transport = str(get(m, 'transport_protocol'));
  if (transport) conds.push(`Trans: ${transport}`);
  const app = get(m, 'application_protocols');
  if (Array.isArray(app) && app.length > 0) conds.push(`App: ${app.join(',')}`);
  const destPort = get(m, 'destination_port', 'value');
  if (destPort !== undefined) conds.push(`Addr: *:${str(destPort)}`);
  return conds.length > 0 ? conds.join('; ') : 'ALL';
}

function describeDestination(chain: EnvoyObject, listener: EnvoyObject): string {
  for (const filter of list(chain['filters'])) {
    const name = str(filter['name']);
    const config = get(filter, 'typed_config');
    if (name === HCM) {
      const rds = str(get(config, 'rds', 'route_config_name'));
      if (rds) return `Route: ${rds}`;
      const inline = get(config, 'route_config');
      if (inline) return `Inline Route: ${inlineRoutes(inline)}`;
      return 'HTTP';
    }
    if (name === TCP_PROXY) {
      const cluster = str(get(config, 'cluster'));
      return cluster.includes('Cluster') ? cluster : `Cluster: ${cluster}`;
    }
  }
  return fallbackDestination(listener);
}

function fallbackDestination(listener: EnvoyObject): string {
  if (str(listener['name']) === 'virtualOutbound' || get(listener, 'use_original_dst', 'value') === true) return 'PassthroughCluster';
  return 'Non-HTTP/Non-TCP';
}

function inlineRoutes(routeConfig: unknown): string {
  const matches = list(get(routeConfig, 'virtual_hosts')).flatMap((vh) => list(vh['routes']).map((r) => describeRouteMatch(r['match'])));
  return matches.join('; ');
}
