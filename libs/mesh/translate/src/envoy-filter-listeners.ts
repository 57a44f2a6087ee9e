import { HCM_FILTER_NAME, type EnvoyFilterPatchContext, type SupportedPatch } from '@trellis/mesh-api';
import type { FilterChain, HttpConnectionManager, HttpFilter, Listener, NetworkFilter } from '@trellis/mesh-envoy';
import { protoMerge } from './envoy-filter-merge';
import { contextMatches, patchRouteConfig } from './envoy-filter-routes';

/**
 * HTTP_FILTER patches on every HTTP connection manager of the proxy's listeners, as istiod's
 * envoyfilter/listener_patch.go patchHTTPFilters: ADD appends; INSERT_FIRST prepends; INSERT_BEFORE
 * and INSERT_AFTER place the filter next to the first one named by `subFilter` (without a subFilter
 * match: first / last); REPLACE and REMOVE act on the named filter; then MERGE merges into each
 * matching filter. Listener match: name, portNumber (on virtual listeners: the chain's destination
 * port), filterChain name/sni/transportProtocol/applicationProtocols/destinationPort, filter name.
 * Inline route configurations (inbound) take the VIRTUAL_HOST / HTTP_ROUTE patches of the listener's context.
 */
const VIRTUAL = new Set(['virtualInbound', 'virtualOutbound']);

function listenerMatches(p: SupportedPatch, l: Listener): boolean {
  const m = p.match.listener;
  if (m === undefined) return true;
  if (m.name !== undefined && m.name !== '' && m.name !== l.name) return false;
  if (VIRTUAL.has(l.name ?? '') || m.portNumber === undefined || m.portNumber === 0) return true;
  return l.address?.socket_address?.port_value === m.portNumber;
}

function chainMatches(p: SupportedPatch, l: Listener, fc: FilterChain): boolean {
  const m = p.match.listener;
  const fcm = fc.filter_chain_match;
  if (m === undefined) return true;
  if (VIRTUAL.has(l.name ?? '') && (m.portNumber ?? 0) > 0 && fcm?.destination_port?.value !== m.portNumber) return false;
  const c = m.filterChain;
  if (c === undefined) return true;
  if (c.name !== undefined && c.name !== '' && c.name !== fc.name) return false;
  if (c.sni !== undefined && c.sni !== '' && !(fcm?.server_names ?? []).includes(c.sni)) return false;
  if (c.transportProtocol !== undefined && c.transportProtocol !== '' && c.transportProtocol !== (fcm?.transport_protocol ?? '')) return false;
  if (c.applicationProtocols !== undefined && c.applicationProtocols !== '' && !c.applicationProtocols.split(',').some((a) => (fcm?.application_protocols ?? []).includes(a.trim()))) return false;
  return c.destinationPort === undefined || c.destinationPort === 0 || fcm?.destination_port?.value === c.destinationPort;
}

const subFilterOf = (p: SupportedPatch): string | undefined => p.match.listener?.filterChain?.filter?.subFilter?.name;

function insertAt(filters: HttpFilter[], p: SupportedPatch, after: boolean): HttpFilter[] {
  const value = structuredClone(p.value) as HttpFilter;
  const sub = subFilterOf(p);
  if (sub === undefined) return after ? [...filters, value] : [value, ...filters];
  const i = filters.findIndex((f) => f.name === sub);
  if (i < 0) return filters;
  const at = after ? i + 1 : i;
  return [...filters.slice(0, at), value, ...filters.slice(at)];
}

function applyOne(filters: HttpFilter[], p: SupportedPatch): HttpFilter[] {
  const sub = subFilterOf(p);
  switch (p.operation) {
    case 'ADD':
      return [...filters, structuredClone(p.value) as HttpFilter];
    case 'INSERT_FIRST':
      return [structuredClone(p.value) as HttpFilter, ...filters];
    case 'INSERT_BEFORE':
    case 'INSERT_AFTER':
      return insertAt(filters, p, p.operation === 'INSERT_AFTER');
    case 'REPLACE':
      return sub === undefined ? filters : filters.map((f) => (f.name === sub ? (structuredClone(p.value) as HttpFilter) : f));
    case 'REMOVE':
      return sub === undefined ? filters : filters.filter((f) => f.name !== sub);
    default:
      return filters;
  }
}

/** MERGE: the name (if given) replaces, typed_config merges when both are the same message. */
function mergeInto(f: HttpFilter, p: SupportedPatch): HttpFilter {
  const sub = subFilterOf(p);
  if (sub !== undefined && f.name !== sub) return f;
  const v = p.value as HttpFilter;
  const tc = v.typed_config;
  const merged = tc !== undefined && f.typed_config !== undefined && tc['@type'] === f.typed_config['@type'] ? protoMerge(f.typed_config, tc) : (tc ?? f.typed_config);
  return { ...f, ...(v.name !== undefined ? { name: v.name } : {}), ...(merged !== undefined ? { typed_config: merged } : {}) };
}

function patchHcm(hcm: HttpConnectionManager, patches: readonly SupportedPatch[], routeLevel: readonly SupportedPatch[], context: EnvoyFilterPatchContext): HttpConnectionManager {
  let filters = [...(hcm.http_filters ?? [])];
  for (const p of patches) if (p.operation !== 'MERGE') filters = applyOne(filters, p);
  for (const p of patches) if (p.operation === 'MERGE') filters = filters.map((f) => mergeInto(f, p));
  const rc = hcm.route_config === undefined ? undefined : patchRouteConfig(hcm.route_config, routeLevel, context);
  return { ...hcm, http_filters: filters, ...(rc !== undefined ? { route_config: rc } : {}) };
}

function patchChain(l: Listener, fc: FilterChain, patches: readonly SupportedPatch[], routeLevel: readonly SupportedPatch[], context: EnvoyFilterPatchContext): FilterChain {
  const mine = patches.filter((p) => chainMatches(p, l, fc));
  const filters = (fc.filters ?? []).map((f): NetworkFilter => {
    if (f.name !== HCM_FILTER_NAME || f.typed_config === undefined) return f;
    return { ...f, typed_config: patchHcm(f.typed_config as HttpConnectionManager, mine, routeLevel, context) };
  });
  return { ...fc, filters };
}

export function patchHttpFilters(listeners: readonly Listener[], patches: readonly SupportedPatch[], routeLevel: readonly SupportedPatch[], router: boolean): readonly Listener[] {
  if (patches.length === 0 && !routeLevel.some((p) => p.context !== 'GATEWAY')) return listeners;
  return listeners.map((l) => {
    const context: EnvoyFilterPatchContext = router ? 'GATEWAY' : l.traffic_direction === 'INBOUND' ? 'SIDECAR_INBOUND' : 'SIDECAR_OUTBOUND';
    const mine = patches.filter((p) => contextMatches(p, context) && listenerMatches(p, l));
    const chain = (fc: FilterChain): FilterChain => patchChain(l, fc, mine, routeLevel, context);
    return { ...l, filter_chains: (l.filter_chains ?? []).map(chain), ...(l.default_filter_chain !== undefined ? { default_filter_chain: chain(l.default_filter_chain) } : {}) };
  });
}
