import { badParam, choice, durationSeconds, list, number, bool, one, type Query } from '../params';

export const COUNTERS: Record<string, string> = {
  request_count: 'istio_requests_total',
  request_error_count: 'istio_requests_total',
  request_throughput: 'istio_request_bytes_sum',
  response_throughput: 'istio_response_bytes_sum',
  tcp_received: 'istio_tcp_received_bytes_total',
  tcp_sent: 'istio_tcp_sent_bytes_total',
  tcp_opened: 'istio_tcp_connections_opened_total',
  tcp_closed: 'istio_tcp_connections_closed_total',
};
export const HISTOGRAMS: Record<string, string> = {
  request_duration_millis: 'istio_request_duration_milliseconds',
  request_size: 'istio_request_bytes',
  response_size: 'istio_response_bytes',
};
const ALL = [...Object.keys(COUNTERS), ...Object.keys(HISTOGRAMS)];

export interface MetricsOptions {
  filters: string[];
  /** Range end, epoch seconds. */
  queryTime: number;
  duration: number;
  step: number;
  rateInterval: string;
  direction: 'inbound' | 'outbound';
  reporter: 'source' | 'destination';
  requestProtocol?: string;
  byLabels: string[];
  quantiles: string[];
  avg: boolean;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** §4.12 query parameters; anything malformed is a 400 naming the parameter. */
export function parseMetricsOptions(q: Query, nowSeconds: number): MetricsOptions {
  const filters = list(q, 'filters');
  for (const f of filters) if (!ALL.includes(f)) throw badParam('filters[]', `"${f}" is not one of ${ALL.join(', ')}`);
  const byLabels = list(q, 'byLabels');
  for (const l of byLabels) if (!LABEL_NAME.test(l)) throw badParam('byLabels[]', `"${l}" is not a label name`);
  const quantiles = list(q, 'quantiles');
  for (const v of quantiles) if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(v)) throw badParam('quantiles[]', `"${v}" is not a number between 0 and 1`);
  const ri = durationSeconds(q, 'rateInterval', 60);
  const protocol = one(q, 'requestProtocol');
  if (protocol !== undefined && !LABEL_NAME.test(protocol)) throw badParam('requestProtocol', `"${protocol}" is not a protocol name`);
  const duration = durationSeconds(q, 'duration', 1800);
  const step = durationSeconds(q, 'step', 15);
  if (duration / step > 11000) throw badParam('step', 'too many points (duration / step > 11000)');
  return {
    filters: filters.length > 0 ? filters : ['request_count', 'request_error_count'],
    queryTime: number(q, 'queryTime', nowSeconds, (n) => Number.isInteger(n) && n > 0),
    duration,
    step,
    rateInterval: `${ri}s`,
    direction: choice(q, 'direction', ['inbound', 'outbound'], 'outbound'),
    reporter: choice(q, 'reporter', ['source', 'destination'], 'source'),
    ...(protocol === undefined ? {} : { requestProtocol: protocol }),
    byLabels,
    quantiles,
    avg: bool(q, 'avg', true),
  };
}
