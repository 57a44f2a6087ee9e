import { HCM_FILTER_NAME, TCP_PROXY_FILTER_NAME, type HttpConnectionManager, type Received, type RouteConfiguration, type TcpProxy } from '@trellis/mesh-envoy';
import type { DumpListener } from './envoy-access';
import { describeRouteMatch } from './routes';

export const LISTENER_HEADER = ['ADDRESSES', 'PORT', 'MATCH', 'DESTINATION'];

type FilterChain = NonNullable<DumpListener['filter_chains']>[number];

/** Rows of `istioctl proxy-config listener`: one per filter chain, sorted by port then address. */
export function listenerRows(listeners: readonly DumpListener[], port?: string): string[][] {
  const rows: { port: number; row: string[] }[] = [];
  for (const l of listeners) {
    const address = l.address?.socket_address?.address ?? '';
    const portValue = Number(l.address?.socket_address?.port_value ?? 0);
    if (port && String(portValue) !== port) continue;
    const chains = l.filter_chains ?? [];
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

function describeChainMatch(chain: FilterChain): string {
  const m = chain.filter_chain_match;
  const conds: string[] = [];
  if (m?.server_names?.length) conds.push(`SNI: ${m.server_names.join(',')}`);
  if (m?.transport_protocol) conds.push(`Trans: ${m.transport_protocol}`);
  if (m?.application_protocols?.length) conds.push(`App: ${m.application_protocols.join(',')}`);
  const destPort = m?.destination_port?.value;
  if (destPort !== undefined) conds.push(`Addr: *:${destPort}`);
  return conds.length > 0 ? conds.join('; ') : 'ALL';
}

/** The typed_config of a filter is told apart by the filter's name, as istioctl does. */
function describeDestination(chain: FilterChain, listener: DumpListener): string {
  for (const filter of chain.filters ?? []) {
    if (filter.name === HCM_FILTER_NAME) {
      const hcm = filter.typed_config as Received<HttpConnectionManager> | undefined;
      const rds = hcm?.rds?.route_config_name;
      if (rds) return `Route: ${rds}`;
      if (hcm?.route_config) return `Inline Route: ${inlineRoutes(hcm.route_config)}`;
      return 'HTTP';
    }
    if (filter.name === TCP_PROXY_FILTER_NAME) {
      const cluster = (filter.typed_config as Received<TcpProxy> | undefined)?.cluster ?? '';
      return cluster.includes('Cluster') ? cluster : `Cluster: ${cluster}`;
    }
  }
  return fallbackDestination(listener);
}

function fallbackDestination(listener: DumpListener): string {
  if (listener.name === 'virtualOutbound' || listener.use_original_dst?.value === true) return 'PassthroughCluster';
  return 'Non-HTTP/Non-TCP';
}

function inlineRoutes(routeConfig: Received<RouteConfiguration>): string {
  const matches = (routeConfig.virtual_hosts ?? []).flatMap((vh) => (vh.routes ?? []).map((r) => describeRouteMatch(r.match)));
  return matches.join('; ');
}
