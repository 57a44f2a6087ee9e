import type { ListenerConfig } from '../listener/listener-config';
import { authorityPort } from '../listener/chain-select';
import type { ProxyContext } from '../proxy-context';
import { LOCAL_REPLIES } from '../http/local-reply';
import type { RouteFailure, RouteQuery, RouteStage } from './route-explain-types';

/** The data path's answer when `stage` finds nothing: 404 NR, as Envoy (and the router) answers. */
export function noRoute(stage: RouteStage, message: string, candidates: readonly string[]): RouteFailure {
  const r = LOCAL_REPLIES.NO_ROUTE;
  return { stage, status: r.status, flag: r.flag, details: r.details, message, candidates };
}

function listenerLine(l: ListenerConfig): string {
  const kind = l.useOriginalDst ? 'original destination' : l.hcm !== undefined ? 'HTTP' : 'tcp_proxy';
  return `${l.name} (${l.address}:${l.port}, ${kind})`;
}

/** Listeners that own a socket: where a connection can arrive. */
function boundListeners(ctx: ProxyContext): ListenerConfig[] {
  return [...ctx.listeners.values()].filter((l) => l.bind).sort((a, b) => a.port - b.port || a.name.localeCompare(b.name));
}

/**
 * The listener the synthetic request arrives on. With a port: the bound listener on it. Without: a
 * sidecar's app sends through virtualOutbound (the OUTBOUND original-destination listener, 15001);
 * a gateway's client reaches its only HTTP listener, or the one on the authority's port.
 */
export function entryListener(ctx: ProxyContext, q: RouteQuery): ListenerConfig | RouteFailure {
  const bound = boundListeners(ctx);
  const lines = bound.map(listenerLine);
  if (q.port !== undefined) {
    const l = bound.find((b) => b.port === q.port);
    return l ?? noRoute('listener', `no listener for port ${q.port}`, lines);
  }
  if (ctx.mode === 'sidecar') {
    const outbound = bound.find((b) => b.useOriginalDst && b.direction === 'OUTBOUND');
    return outbound ?? noRoute('listener', 'no outbound (virtualOutbound) listener: pass the port the request arrives on', lines);
  }
  const http = bound.filter((b) => b.hcm !== undefined);
  if (http.length === 1 && http[0] !== undefined) return http[0];
  const port = authorityPort(q.host);
  const byPort = http.find((b) => b.port === port);
  if (byPort !== undefined) return byPort;
  const why = http.length === 0 ? 'the gateway has no HTTP listener' : `the gateway has ${http.length} HTTP listeners: pass the port the request arrives on`;
  return noRoute('listener', why, lines);
}
