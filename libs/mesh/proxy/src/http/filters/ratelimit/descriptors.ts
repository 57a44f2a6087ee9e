import type { RateLimitAction, Received, RouteRateLimit } from '@trellis/mesh-envoy';
import { invalid } from '../../../config/proto';
import { type RequestView, headerValue } from '../../../routing/request-view';
import { compileHeaderMatcher, headerMatches } from '../../../routing/string-matcher';
import type { Exchange } from '../../exchange';

/**
 * Route and virtual-host `rate_limits` compiled into descriptor builders, as Envoy's router
 * RateLimitPolicy: each RateLimit gives one descriptor whose entries come from its actions in order;
 * an action that cannot produce its entry drops the whole descriptor (request_headers with
 * skip_if_absent only drops its entry). The route's own rate_limits replace the virtual host's
 * (the filter's default `vh_rate_limits: OVERRIDE`).
 */
export interface DescriptorEntry {
  readonly key: string;
  readonly value: string;
}

/** What an action may read besides the request: the route's cluster. */
export interface DescriptorInput {
  readonly view: RequestView;
  readonly cluster: string;
}

/** An entry, `null` to skip only this entry, `undefined` to drop the descriptor. */
type ActionFn = (input: DescriptorInput) => DescriptorEntry | null | undefined;

export interface CompiledRateLimit {
  readonly stage: number;
  readonly actions: readonly ActionFn[];
}

const plainAddress = (a: string): string => (a.startsWith('::ffff:') ? a.slice(7) : a);

function headerMatchAction(resource: string, a: NonNullable<Received<RateLimitAction>['header_value_match']>): ActionFn {
  const matchers = (a.headers ?? []).map((h, i) => compileHeaderMatcher(`${resource} header_value_match.headers[${i}]`, h));
  const expect = a.expect_match?.value ?? true;
  const entry = { key: a.descriptor_key || 'header_match', value: a.descriptor_value ?? '' };
  return ({ view }) => (matchers.every((m) => headerMatches(m, headerValue(view, m.name))) === expect ? entry : undefined);
}

function compileAction(resource: string, a: Received<RateLimitAction>): ActionFn {
  if (a.request_headers !== undefined) {
    const { header_name: name = '', descriptor_key: key = '', skip_if_absent: skip = false } = a.request_headers;
    if (name === '' || key === '') throw invalid(resource, 'request_headers needs header_name and descriptor_key');
    const lower = name.toLowerCase();
    return ({ view }) => {
      const value = headerValue(view, lower);
      return value === undefined ? (skip ? null : undefined) : { key, value };
    };
  }
  if (a.remote_address !== undefined) return ({ view }) => (view.remoteAddress === '' ? undefined : { key: 'remote_address', value: plainAddress(view.remoteAddress) });
  if (a.generic_key !== undefined) {
    const entry = { key: a.generic_key.descriptor_key || 'generic_key', value: a.generic_key.descriptor_value ?? '' };
    return () => entry;
  }
  if (a.header_value_match !== undefined) return headerMatchAction(resource, a.header_value_match);
  if (a.destination_cluster !== undefined) return ({ cluster }) => (cluster === '' ? undefined : { key: 'destination_cluster', value: cluster });
  throw invalid(resource, `rate limit action ${Object.keys(a).join(',') || '{}'} is not supported (request_headers, remote_address, generic_key, header_value_match, destination_cluster)`);
}

export function compileRateLimits(resource: string, limits: readonly Received<RouteRateLimit>[] | undefined): readonly CompiledRateLimit[] {
  return (limits ?? []).map((l, i) => {
    if (l.disable_key !== undefined && l.disable_key !== '') throw invalid(resource, `rate_limits[${i}].disable_key (runtime) is not supported`);
    return { stage: Number(l.stage ?? 0), actions: (l.actions ?? []).map((a, j) => compileAction(`${resource} rate_limits[${i}].actions[${j}]`, a)) };
  });
}

/** The descriptors for one filter stage; a descriptor with no entry is not sent. */
export function buildDescriptors(limits: readonly CompiledRateLimit[], stage: number, input: DescriptorInput): DescriptorEntry[][] {
  const out: DescriptorEntry[][] = [];
  for (const l of limits) {
    if (l.stage !== stage) continue;
    const entries: DescriptorEntry[] = [];
    let dropped = false;
    for (const action of l.actions) {
      const e = action(input);
      if (e === undefined) {
        dropped = true;
        break;
      }
      if (e !== null) entries.push(e);
    }
    if (!dropped && entries.length > 0) out.push(entries);
  }
  return out;
}

/** The route's first cluster (what destination_cluster reads and the ratelimit filter's stats are named after). */
export function routeCluster(ex: Exchange): string {
  return ex.route.forward?.cluster ?? ex.route.forward?.weighted?.[0]?.name ?? '';
}

/** The request's descriptors for a filter `stage`, from its route's rate_limits. */
export function requestDescriptors(ex: Exchange, stage: number, cluster = routeCluster(ex)): DescriptorEntry[][] {
  return buildDescriptors(ex.route.rateLimits, stage, { view: ex, cluster });
}
