import type { Route } from '../config/envoy-types';
import type { ProxyContext } from '../proxy-context';
import type { HttpFilter } from '../http/filter';
import type { CompiledFault } from '../http/filters/fault';
import type { CompiledForward } from '../routing/route-action';
import type { CompiledRoute } from '../routing/route-table';
import type { ActionStep, ClusterChoice, EndpointStep, FaultStep, RetryStep } from './route-explain-types';

const percent = (p: number): number => Math.round(p * 10000) / 100;

/** Istio's `direction|port|subset|host`; other names give empty parts. */
function clusterParts(name: string): Pick<ClusterChoice, 'direction' | 'port' | 'subset' | 'service'> {
  const p = name.split('|');
  if (p.length !== 4) return { direction: '', port: '', subset: '', service: '' };
  return { direction: p[0] ?? '', port: p[1] ?? '', subset: p[2] ?? '', service: p[3] ?? '' };
}

/** The cluster as the balancer sees it now: hosts with the health that decides whether they are picked. */
function clusterChoice(ctx: ProxyContext, name: string, weight: number | undefined, total: number): ClusterChoice {
  const c = ctx.clusters.get(name);
  const endpoints: EndpointStep[] = (c?.endpoints() ?? []).map((e) => ({
    address: e.address,
    health: !e.healthy ? 'UNHEALTHY' : e.ejected ? 'EJECTED' : 'HEALTHY',
    weight: e.weight,
  }));
  return {
    name,
    ...clusterParts(name),
    weight,
    percent: weight === undefined ? undefined : percent(weight / total),
    known: c !== undefined,
    type: c?.config.type,
    lbPolicy: c?.config.lbPolicy,
    endpoints,
  };
}

function retryStep(fwd: CompiledForward, raw: Route | undefined): RetryStep | undefined {
  const r = fwd.retry;
  if (r === undefined) return undefined;
  return {
    attempts: r.numRetries,
    retryOn: raw?.route?.retry_policy?.retry_on ?? '',
    perTryTimeoutMs: r.perTryTimeoutMs,
    retriableStatusCodes: [...r.statusCodes],
  };
}

function isCompiledFault(v: unknown): v is CompiledFault {
  return typeof v === 'object' && v !== null && typeof (v as CompiledFault).delayMs === 'number' && typeof (v as CompiledFault).abortStatus === 'number';
}

/** The fault filter's per-route config the filter itself reads (perRouteConfig), for the HCM's fault filters. */
function faultSteps(route: CompiledRoute, filters: readonly HttpFilter[]): FaultStep[] {
  const out: FaultStep[] = [];
  for (const f of filters) {
    const cfg = route.perFilter.get(f.name);
    if (!isCompiledFault(cfg)) continue;
    const delay = cfg.delayMs > 0 && cfg.delayProbability > 0;
    const abort = cfg.abortProbability > 0 && (cfg.abortStatus !== 0 || cfg.abortGrpcStatus !== undefined);
    if (!delay && !abort) continue;
    out.push({
      filter: f.name,
      delayMs: delay ? cfg.delayMs : undefined,
      delayPercent: delay ? percent(cfg.delayProbability) : undefined,
      abortHttpStatus: abort && cfg.abortGrpcStatus === undefined ? cfg.abortStatus : undefined,
      abortGrpcStatus: abort ? cfg.abortGrpcStatus : undefined,
      abortPercent: abort ? percent(cfg.abortProbability) : undefined,
    });
  }
  return out;
}

const EMPTY_ACTION: Omit<ActionStep, 'perFilterConfig'> = {
  clusters: [],
  timeoutMs: 0,
  retry: undefined,
  mirrors: [],
  faults: [],
  prefixRewrite: undefined,
  hostRewrite: undefined,
  redirect: undefined,
  directResponse: undefined,
};

export interface ActionInput {
  readonly route: CompiledRoute;
  readonly raw: Route | undefined;
  readonly filters: readonly HttpFilter[];
  /** The redirect's Location, computed by the router's own functions (route-explain.ts). */
  readonly location: string | undefined;
}

/** What the matched route does: its clusters with weights and endpoints, timeout, retries, mirrors, faults. */
export function actionStep(ctx: ProxyContext, a: ActionInput): ActionStep {
  const { route } = a;
  const faults = faultSteps(route, a.filters);
  const faultNames = new Set(faults.map((f) => f.filter));
  const perFilterConfig = [...route.perFilter.keys()].filter((k) => !faultNames.has(k) && a.filters.some((f) => f.name === k));
  const base = { ...EMPTY_ACTION, faults, perFilterConfig };
  if (route.redirect !== undefined) return { ...base, redirect: { status: route.redirect.status, target: a.location ?? '' } };
  if (route.direct !== undefined) return { ...base, directResponse: { status: route.direct.status, body: route.direct.body } };
  const fwd = route.forward;
  if (fwd === undefined) return base;
  const clusters = fwd.weighted
    ? fwd.weighted.map((w) => clusterChoice(ctx, w.name, w.weight, fwd.totalWeight))
    : [clusterChoice(ctx, fwd.cluster ?? '', undefined, 1)];
  return {
    ...base,
    clusters,
    timeoutMs: fwd.timeoutMs,
    retry: retryStep(fwd, a.raw),
    mirrors: fwd.mirrors.map((m) => ({ cluster: m.cluster, percent: percent(m.probability) })),
    prefixRewrite: fwd.prefixRewrite,
    hostRewrite: fwd.hostRewrite,
  };
}
