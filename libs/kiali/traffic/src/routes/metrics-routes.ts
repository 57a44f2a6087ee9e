import type { FastifyInstance } from 'fastify';
import { collectMetrics } from '../metrics/metrics';
import { parseMetricsOptions } from '../metrics/metrics-options';
import type { MetricsTarget } from '../metrics/metrics-queries';
import { pathName, type Query } from '../params';
import { knownNamespace, namespaceInventory, notFound, type RouteContext } from './context';

type Params = Record<string, string>;
const KINDS = { apps: 'app', workloads: 'workload', services: 'service' } as const;

async function checkExists(ctx: RouteContext, kind: 'app' | 'workload' | 'service', ns: string, name: string): Promise<void> {
  const inv = await namespaceInventory(ctx, ns);
  const found =
    kind === 'service' ? inv.services.some((s) => s.name === name) : kind === 'workload' ? inv.workloads.some((w) => w.name === name) : inv.workloads.some((w) => w.app === name) || inv.services.some((s) => s.labels['app'] === name);
  if (!found) throw notFound(kind, name, ns);
}

export function registerMetricsRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const range = ctx.metrics.queryRange.bind(ctx.metrics);
  app.get<{ Params: Params; Querystring: Query }>('/namespaces/:namespace/metrics', async (req) => {
    const ns = await knownNamespace(ctx, req.params['namespace'] ?? '');
    return collectMetrics({ kind: 'namespace', namespace: ns }, parseMetricsOptions(req.query, ctx.nowSeconds()), range);
  });
  for (const [segment, kind] of Object.entries(KINDS)) {
    app.get<{ Params: Params; Querystring: Query }>(`/namespaces/:namespace/${segment}/:name/metrics`, async (req) => {
      const ns = await knownNamespace(ctx, req.params['namespace'] ?? '');
      const name = pathName(kind, req.params['name'] ?? '');
      const opts = parseMetricsOptions(req.query, ctx.nowSeconds());
      await checkExists(ctx, kind, ns, name);
      return collectMetrics({ kind, namespace: ns, name }, opts, range);
    });
  }
  app.get<{ Params: Params; Querystring: Query }>('/namespaces/:namespace/aggregates/:aggregate/:aggregateValue/metrics', async (req) => {
    const ns = await knownNamespace(ctx, req.params['namespace'] ?? '');
    const aggregate = req.params['aggregate'] ?? '';
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(aggregate)) throw notFound('aggregate', aggregate, ns);
    const target: MetricsTarget = { kind: 'aggregate', namespace: ns, aggregate, value: req.params['aggregateValue'] ?? '' };
    return collectMetrics(target, parseMetricsOptions(req.query, ctx.nowSeconds()), range);
  });
}
