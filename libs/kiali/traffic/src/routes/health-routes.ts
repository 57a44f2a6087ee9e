import type { FastifyInstance } from 'fastify';
import { healthOf, itemHealthQueries, itemKeys, itemsOf, namespaceHealth, namespaceHealthQueries, type HealthType } from '../health/health';
import { RequestRates } from '../health/request-rates';
import { choice, durationSeconds, pathName, type Query } from '../params';
import { knownNamespace, namespaceInventory, notFound, type RouteContext } from './context';

type Params = Record<string, string>;
const KINDS = { apps: 'app', workloads: 'workload', services: 'service' } as const;

function timeOf(ctx: RouteContext, q: Query): { ri: string; time: number } {
  const ri = `${durationSeconds(q, 'rateInterval', 60)}s`;
  const raw = q['queryTime'];
  const time = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : ctx.nowSeconds();
  return { ri, time };
}

export function registerHealthRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: Params; Querystring: Query }>('/namespaces/:namespace/health', async (req) => {
    const ns = await knownNamespace(ctx, req.params['namespace'] ?? '');
    const type = choice<HealthType>(req.query, 'type', ['app', 'workload', 'service'], 'app');
    const { ri, time } = timeOf(ctx, req.query);
    const [inv, results] = await Promise.all([namespaceInventory(ctx, ns), Promise.all(namespaceHealthQueries(type, ns, ri).map((q) => ctx.metrics.query(q, time)))]);
    return namespaceHealth(type, ns, inv, results);
  });
  for (const [segment, type] of Object.entries(KINDS)) {
    app.get<{ Params: Params; Querystring: Query }>(`/namespaces/:namespace/${segment}/:name/health`, async (req) => {
      const ns = await knownNamespace(ctx, req.params['namespace'] ?? '');
      const name = pathName(type, req.params['name'] ?? '');
      const { ri, time } = timeOf(ctx, req.query);
      const inv = await namespaceInventory(ctx, ns);
      if (!itemsOf(type, inv).includes(name)) throw notFound(type, name, ns);
      const rates = new RequestRates();
      const { inKey, outKey } = itemKeys(type, name);
      for (const r of await Promise.all(itemHealthQueries(type, ns, name, ri).map((q) => ctx.metrics.query(q, time)))) rates.add(r, inKey, outKey);
      return healthOf(type, name, inv, rates);
    });
  }
}
