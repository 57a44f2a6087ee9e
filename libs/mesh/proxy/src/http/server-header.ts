import type { HttpConnectionManager } from '../config/envoy-types';

/**
 * The HCM's `server` response header (Envoy's server_name / server_header_transformation): OVERWRITE (the
 * default) sets `server_name` on every response, APPEND_IF_ABSENT only where the upstream sent none,
 * PASS_THROUGH never (not on local replies either). istiod names it `istio-envoy` on inbound and gateway
 * HCMs and leaves Envoy's `envoy` on sidecar outbound ones.
 */
export interface ServerHeader {
  readonly name: string;
  readonly mode: 'OVERWRITE' | 'APPEND_IF_ABSENT' | 'PASS_THROUGH';
}

export const ENVOY_SERVER_HEADER: ServerHeader = { name: 'envoy', mode: 'OVERWRITE' };

export function compileServerHeader(h: HttpConnectionManager): ServerHeader {
  const name = h.server_name || 'envoy';
  const mode = h.server_header_transformation ?? 'OVERWRITE';
  return name === 'envoy' && mode === 'OVERWRITE' ? ENVOY_SERVER_HEADER : { name, mode };
}

/** Applies the rule to response headers (an upstream's, or a local reply's being built). */
export function setServerHeader(s: ServerHeader, headers: Record<string, unknown>): void {
  if (s.mode === 'OVERWRITE' || (s.mode === 'APPEND_IF_ABSENT' && headers['server'] === undefined)) headers['server'] = s.name;
}
