import type { ActionStep, ClusterChoice, FaultStep, RouteExplanation, RouteFailure } from '@trellis/mesh-proxy';

const STAGE_TITLE: Readonly<Record<RouteFailure['stage'], string>> = {
  listener: 'No listener',
  filter_chain: 'No filter chain',
  route_config: 'No route configuration',
  virtual_host: 'No virtual host',
  route: 'No route matched',
  cluster: 'Unknown cluster',
  endpoints: 'No healthy upstream',
};

const CANDIDATES: Readonly<Record<RouteFailure['stage'], string>> = {
  listener: 'Listeners',
  filter_chain: 'Filter chains',
  route_config: 'Route configurations',
  virtual_host: 'Virtual hosts (domains)',
  route: 'Routes (in order)',
  cluster: 'Clusters',
  endpoints: 'Endpoints',
};

const label = (name: string, value: string): string => `${`${name}:`.padEnd(16)}${value}`;
const ms = (n: number): string => (n % 1000 === 0 ? `${n / 1000}s` : `${n}ms`);

function endpointLines(c: ClusterChoice, indent: string): string[] {
  if (c.type === 'ORIGINAL_DST') return [`${indent}(original destination: the request's authority is the upstream host)`];
  if (!c.known) return [`${indent}(cluster not known to this proxy: 503 NC when picked)`];
  if (c.endpoints.length === 0) return [`${indent}(no endpoints: 503 UH when picked)`];
  return c.endpoints.map((e) => `${indent}${e.address.padEnd(24)}${e.health}`);
}

function clusterLines(action: ActionStep): string[] {
  const [only] = action.clusters;
  if (action.clusters.length === 1 && only !== undefined && only.weight === undefined) {
    return [label('Cluster', only.name), ...(only.subset ? [label('Subset', only.subset)] : []), 'Endpoints:', ...endpointLines(only, '  ')];
  }
  const lines = ['Weighted clusters (one picked per request, by weight):'];
  for (const c of action.clusters) {
    lines.push(`  ${`${c.percent ?? 0}%`.padEnd(8)}weight ${String(c.weight ?? 0).padEnd(6)}${c.name}${c.subset ? `  (subset ${c.subset})` : ''}`, ...endpointLines(c, '            '));
  }
  return lines;
}

function faultText(f: FaultStep): string {
  const parts: string[] = [];
  if (f.delayMs !== undefined) parts.push(`delay ${ms(f.delayMs)} for ${f.delayPercent ?? 0}% of requests`);
  if (f.abortHttpStatus !== undefined) parts.push(`abort with HTTP ${f.abortHttpStatus} for ${f.abortPercent ?? 0}%`);
  if (f.abortGrpcStatus !== undefined) parts.push(`abort with gRPC status ${f.abortGrpcStatus} for ${f.abortPercent ?? 0}%`);
  return parts.join(', then ');
}

function policyLines(a: ActionStep): string[] {
  const lines: string[] = [];
  if (a.redirect !== undefined) lines.push(label('Redirect', `${a.redirect.status} → ${a.redirect.target}`));
  if (a.directResponse !== undefined) lines.push(label('Direct reply', `${a.directResponse.status}${a.directResponse.body ? ` ${JSON.stringify(a.directResponse.body)}` : ''}`));
  if (a.redirect !== undefined || a.directResponse !== undefined) return [...lines, ...a.faults.map((f) => label('Fault', `${faultText(f)} (${f.filter})`))];
  lines.push(label('Timeout', a.timeoutMs === 0 ? 'disabled' : ms(a.timeoutMs)));
  const r = a.retry;
  lines.push(label('Retries', r === undefined ? 'none' : `${r.attempts} on ${r.retryOn || '(nothing)'}${r.retriableStatusCodes.length > 0 ? ` (status ${r.retriableStatusCodes.join(', ')})` : ''}${r.perTryTimeoutMs > 0 ? `, ${ms(r.perTryTimeoutMs)} per try` : ''}`));
  for (const m of a.mirrors) lines.push(label('Mirror', `${m.percent}% to ${m.cluster}`));
  for (const f of a.faults) lines.push(label('Fault', `${faultText(f)} (${f.filter})`));
  if (a.prefixRewrite !== undefined) lines.push(label('Rewrite', `path prefix → ${a.prefixRewrite}`));
  if (a.hostRewrite !== undefined) lines.push(label('Rewrite', `authority → ${a.hostRewrite}`));
  if (a.perFilterConfig.length > 0) lines.push(label('Per-route', a.perFilterConfig.join(', ')));
  return lines;
}

function failureLines(f: RouteFailure): string[] {
  const answer = f.status === 0 ? '' : `: ${f.status}${f.flag ? ` ${f.flag}` : ''} (${f.details})`;
  const lines = [`✗ ${STAGE_TITLE[f.stage]}${answer}`, `  ${f.message}`];
  if (f.candidates.length > 0) lines.push(`  ${CANDIDATES[f.stage]}:`, ...f.candidates.map((c) => `    ${c}`));
  return lines;
}

function requestLine(e: RouteExplanation): string {
  const headers = Object.entries(e.request.headers).map(([k, v]) => `${k}: ${v}`);
  return `${e.request.method} ${e.request.host}${e.request.path}${headers.length > 0 ? `  (${headers.join('; ')})` : ''}`;
}

/** The explanation as a readable block: each stage the request passed, then the action or the failing stage. */
export function renderRoute(proxy: string, e: RouteExplanation): string[] {
  const lines = [label('Proxy', `${proxy} (${e.proxy.mode === 'router' ? 'gateway' : 'sidecar'})`), label('Request', requestLine(e))];
  const l = e.listener;
  if (l !== undefined) {
    lines.push(label('Listener', `${l.name} (${l.address}:${l.port}, ${l.direction})`));
    if (l.via !== `listener ${l.name}`) lines.push(label('Filter chain', l.via));
    lines.push(label('HTTP filters', l.httpFilters.join(' → ')));
  }
  if (e.routeConfig !== undefined) lines.push(label('Route config', e.routeConfig));
  if (e.virtualHost !== undefined) lines.push(label('Virtual host', `${e.virtualHost.name}${e.virtualHost.domains.length > 0 ? `  (domains: ${e.virtualHost.domains.join(', ')})` : ''}`));
  if (e.route !== undefined) {
    lines.push(label('Route', `${e.route.name === '' ? '(unnamed)' : e.route.name}${e.route.index >= 0 ? ` (#${e.route.index})` : ''}  match: ${e.route.matchSummary}`));
    if (e.route.virtualService !== undefined) lines.push(label('VirtualService', e.route.virtualService));
  }
  if (e.action !== undefined) {
    if (e.action.clusters.length > 0) lines.push(...clusterLines(e.action));
    lines.push(...policyLines(e.action));
  }
  if (e.failure !== undefined) lines.push('', ...failureLines(e.failure));
  return lines;
}
