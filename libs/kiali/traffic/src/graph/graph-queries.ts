import { promString } from './labels';

/** §5.3 GROUPBY for istio_requests_total; TCP drops protocol, code and gRPC status. */
export const HTTP_GROUP_BY = [
  'source_cluster', 'source_workload_namespace', 'source_workload', 'source_canonical_service', 'source_canonical_revision',
  'destination_cluster', 'destination_service_namespace', 'destination_service', 'destination_service_name',
  'destination_workload_namespace', 'destination_workload', 'destination_canonical_service', 'destination_canonical_revision',
  'request_protocol', 'response_code', 'grpc_response_status', 'response_flags',
] as const;
const HTTP_ONLY = new Set(['request_protocol', 'response_code', 'grpc_response_status']);
export const TCP_GROUP_BY = HTTP_GROUP_BY.filter((l) => !HTTP_ONLY.has(l));
const SECURITY_GROUP_BY = [...HTTP_GROUP_BY.filter((l) => !HTTP_ONLY.has(l) && l !== 'response_flags'), 'source_principal', 'destination_principal', 'connection_security_policy'];

export type Matchers = [name: string, op: '=' | '!=' | '=~' | '!~', value: string][];

export const selector = (metric: string, m: Matchers): string => `${metric}{${m.map(([n, op, v]) => `${n}${op}${promString(v)}`).join(',')}}`;

export const sumRate = (metric: string, m: Matchers, window: string, by: readonly string[]): string =>
  `sum(rate(${selector(metric, m)}[${window}]))${by.length > 0 ? ` by (${by.join(',')})` : ''}`;

/** The three §5.3 selectors of namespace NS. */
export function namespaceSelectors(ns: string): Matchers[] {
  return [
    [['reporter', '=', 'destination'], ['source_workload', '=', 'unknown'], ['destination_workload_namespace', '=', ns]],
    [['reporter', '=', 'source'], ['source_workload_namespace', '!=', ns], ['source_workload', '!=', 'unknown'], ['destination_service_namespace', '=', ns]],
    [['reporter', '=', 'source'], ['source_workload_namespace', '=', ns]],
  ];
}

export interface TrafficQuery {
  promql: string;
  tcp: boolean;
}

/** Queries 1–6 of §5.3 for a list of selectors (namespace graphs use `namespaceSelectors`). */
export function trafficQueries(selectors: readonly Matchers[], window: string): TrafficQuery[] {
  const http = selectors.map((m) => ({ promql: `round(${sumRate('istio_requests_total', m, window, HTTP_GROUP_BY)}, 0.001)`, tcp: false }));
  const tcp = selectors.map((m) => ({ promql: `round(${sumRate('istio_tcp_sent_bytes_total', m, window, TCP_GROUP_BY)}, 0.001)`, tcp: true }));
  return [...http, ...tcp];
}

/** `securityPolicy` appender: destination-reported HTTP or TCP rates by policy and principals. */
export function securityQueries(ns: string, window: string): string[] {
  const sels: Matchers[] = [
    [['reporter', '=', 'destination'], ['source_workload_namespace', '!=', ns], ['destination_service_namespace', '=', ns]],
    [['reporter', '=', 'destination'], ['source_workload_namespace', '=', ns]],
  ];
  return sels.map(
    (m) => `${sumRate('istio_requests_total', m, window, SECURITY_GROUP_BY)} > 0 or ${sumRate('istio_tcp_sent_bytes_total', m, window, SECURITY_GROUP_BY)} > 0`,
  );
}

/** `responseTime` appender: the quantile of istio_request_duration_milliseconds per edge. */
export function responseTimeQueries(selectors: readonly Matchers[], window: string, quantile: number): string[] {
  const by = ['le', ...HTTP_GROUP_BY.filter((l) => l !== 'response_flags')];
  return selectors.map((m) => `histogram_quantile(${quantile}, ${sumRate('istio_request_duration_milliseconds_bucket', m, window, by)}) > 0`);
}
