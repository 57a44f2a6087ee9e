/**
 * Header propagation between Bookinfo services (upstream: productpage.py getForwardHeaders,
 * LibertyRestEndpoint.headers_to_propagate, details.rb get_forward_headers).
 */
import { reinjectB3 } from './b3';

/** Incoming request headers as Node/Fastify present them (lower-case names). */
export type IncomingHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Outgoing headers: lower-case name to value. */
export type OutgoingHeaders = Record<string, string>;

export const B3_HEADERS = ['x-b3-traceid', 'x-b3-spanid', 'x-b3-parentspanid', 'x-b3-sampled', 'x-b3-flags'] as const;

/** Copied verbatim by every service (productpage's list; B3 and end-user are handled separately there). */
export const VERBATIM_HEADERS = [
  'x-request-id',
  'x-ot-span-context',
  'x-datadog-trace-id',
  'x-datadog-parent-id',
  'x-datadog-sampling-priority',
  'traceparent',
  'tracestate',
  'x-cloud-trace-context',
  'grpc-trace-bin',
  'sw8',
  'user-agent',
  'cookie',
  'authorization',
  'jwt',
] as const;

/** What reviews (to ratings) and details (to its external API) forward: everything, incl. B3 and end-user. */
export const SERVICE_PROPAGATED_HEADERS = [...VERBATIM_HEADERS, ...B3_HEADERS, 'end-user'] as const;

/** First value of a header, or undefined; repeated headers are joined like a WSGI server would. */
export function headerValue(headers: IncomingHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : value.join(', ');
}

/** Copies the named headers that are present, in list order. */
export function pickHeaders(headers: IncomingHeaders, names: readonly string[]): OutgoingHeaders {
  const out: OutgoingHeaders = {};
  for (const name of names) {
    const value = headerValue(headers, name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/**
 * productpage -> details/reviews/ratings: B3 re-emitted (trace id, span id, sampled only), the
 * verbatim list, and `end-user` ONLY from the session — never copied from the client.
 */
export function productpageForwardHeaders(headers: IncomingHeaders, sessionUser?: string): OutgoingHeaders {
  const out: OutgoingHeaders = reinjectB3(headers);
  if (sessionUser !== undefined) out['end-user'] = sessionUser;
  return { ...out, ...pickHeaders(headers, VERBATIM_HEADERS) };
}

/** reviews -> ratings (and details -> external API): the full list, incl. all five B3 headers and end-user. */
export function serviceForwardHeaders(headers: IncomingHeaders): OutgoingHeaders {
  return pickHeaders(headers, SERVICE_PROPAGATED_HEADERS);
}
