import type { LogRecord } from './log-record';

/** A command operator's value: a string, a number (JSON keeps it numeric), or undefined (`-` / null). */
export type OperatorValue = string | number | undefined;
export type Operator = (r: LogRecord) => OperatorValue;

const str = (v: string): string | undefined => (v === '' ? undefined : v);
const withoutPort = (a: string): string | undefined => {
  if (a === '') return undefined;
  const i = a.lastIndexOf(':');
  return i < 0 ? a : a.slice(0, i).replace(/^\[|\]$/g, '');
};
const portOf = (a: string): number | undefined => {
  const i = a.lastIndexOf(':');
  return i < 0 ? undefined : Number(a.slice(i + 1));
};

/** Envoy's operators without arguments (source/common/formatter, stream_info_formatter.cc). */
export const SIMPLE_OPERATORS: Readonly<Record<string, Operator>> = {
  PROTOCOL: (r) => str(r.protocol),
  RESPONSE_CODE: (r) => r.responseCode,
  RESPONSE_FLAGS: (r) => str(r.responseFlags),
  RESPONSE_CODE_DETAILS: (r) => str(r.responseCodeDetails),
  CONNECTION_TERMINATION_DETAILS: (r) => str(r.connectionTerminationDetails),
  UPSTREAM_TRANSPORT_FAILURE_REASON: (r) => str(r.upstreamTransportFailureReason),
  BYTES_RECEIVED: (r) => r.bytesReceived,
  BYTES_SENT: (r) => r.bytesSent,
  DURATION: (r) => r.durationMs,
  UPSTREAM_HOST: (r) => str(r.upstreamHost),
  UPSTREAM_CLUSTER: (r) => str(r.upstreamCluster),
  UPSTREAM_CLUSTER_RAW: (r) => str(r.upstreamCluster),
  UPSTREAM_LOCAL_ADDRESS: (r) => str(r.upstreamLocalAddress),
  UPSTREAM_LOCAL_ADDRESS_WITHOUT_PORT: (r) => withoutPort(r.upstreamLocalAddress),
  UPSTREAM_REMOTE_ADDRESS: (r) => str(r.upstreamHost),
  UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT: (r) => withoutPort(r.upstreamHost),
  DOWNSTREAM_LOCAL_ADDRESS: (r) => str(r.downstreamLocalAddress),
  DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT: (r) => withoutPort(r.downstreamLocalAddress),
  DOWNSTREAM_LOCAL_PORT: (r) => portOf(r.downstreamLocalAddress),
  DOWNSTREAM_REMOTE_ADDRESS: (r) => str(r.downstreamRemoteAddress),
  DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT: (r) => withoutPort(r.downstreamRemoteAddress),
  DOWNSTREAM_REMOTE_PORT: (r) => portOf(r.downstreamRemoteAddress),
  DOWNSTREAM_DIRECT_REMOTE_ADDRESS: (r) => str(r.downstreamRemoteAddress),
  DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT: (r) => withoutPort(r.downstreamRemoteAddress),
  REQUESTED_SERVER_NAME: (r) => str(r.requestedServerName),
  ROUTE_NAME: (r) => str(r.routeName),
  /** Not an Envoy operator: `%RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%` under a short name. */
  UPSTREAM_SERVICE_TIME: (r) => r.responseHeader('x-envoy-upstream-service-time'),
  HOSTNAME: () => HOSTNAME,
};

const HOSTNAME = process.env['HOSTNAME'] ?? '';

/** `%REQ(X?Y):Z%` / `%RESP(…)%`: header X, else Y, cut to Z characters. */
export function headerOperator(which: 'REQ' | 'RESP', arg: string, maxLength: number | undefined): Operator {
  const [main, alt] = arg.toLowerCase().split('?', 2) as [string, string | undefined];
  const get = which === 'REQ' ? (r: LogRecord, n: string) => r.requestHeader(n) : (r: LogRecord, n: string) => r.responseHeader(n);
  return (r) => {
    let v = get(r, main);
    if (v === undefined && alt !== undefined) v = get(r, alt);
    if (v === undefined || v === '') return undefined;
    return maxLength === undefined ? v : v.slice(0, maxLength);
  };
}
