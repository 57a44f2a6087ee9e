import type { Thresholds } from './cluster-config';

/** What a priority's resource manager holds right now (the HIGH one holds nothing: no route asks for it). */
export interface BreakerUsage {
  /** Upstream connections open (HTTP pools' connected + tcp_proxy's). */
  readonly connections: number;
  /** The connection limit the data path enforces (max_connections × available hosts). */
  readonly connectionCapacity: number;
  readonly pending: number;
  readonly requests: number;
  readonly retries: number;
}

export const IDLE_USAGE: BreakerUsage = { connections: 0, connectionCapacity: 0, pending: 0, requests: 0, retries: 0 };

/** Envoy's default `max_connection_pools` (unlimited); no pool limit applies here. */
const UNLIMITED_POOLS = 4294967295;

const open = (used: number, limit: number): number => (used >= limit ? 1 : 0);
const remaining = (used: number, limit: number): number => Math.max(0, limit - used);

/**
 * Envoy's `circuit_breakers.<priority>.*` gauges of one cluster: `*_open` is 1 while the breaker
 * would refuse the next one (connections, pending requests, requests, retries; `cx_pool_open` is 0 —
 * pools are not limited), `remaining_*` only with `track_remaining` (as Envoy publishes them).
 */
export function circuitBreakerGauges(priority: 'default' | 'high', t: Thresholds, u: BreakerUsage): [string, number][] {
  const cxLimit = priority === 'default' ? Math.max(t.maxConnections, u.connectionCapacity) : t.maxConnections;
  const p = `circuit_breakers.${priority}`;
  const out: [string, number][] = [
    [`${p}.cx_open`, open(u.connections, cxLimit)],
    [`${p}.cx_pool_open`, 0],
    [`${p}.rq_pending_open`, open(u.pending, t.maxPendingRequests)],
    [`${p}.rq_open`, open(u.requests, t.maxRequests)],
    [`${p}.rq_retry_open`, open(u.retries, t.maxRetries)],
  ];
  if (!t.trackRemaining) return out;
  out.push(
    [`${p}.remaining_cx`, remaining(u.connections, cxLimit)],
    [`${p}.remaining_cx_pools`, UNLIMITED_POOLS],
    [`${p}.remaining_pending`, remaining(u.pending, t.maxPendingRequests)],
    [`${p}.remaining_retries`, remaining(u.retries, t.maxRetries)],
    [`${p}.remaining_rq`, remaining(u.requests, t.maxRequests)],
  );
  return out;
}
