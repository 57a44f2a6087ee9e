import type { FastifyInstance } from 'fastify';
import { buildNamespacesGraph, buildNodeGraph, type GraphInputs } from '../graph/build-graph';
import type { GraphResponse } from '../graph/cytoscape';
import { parseGraphOptions, type GraphOptions } from '../graph/graph-options';
import type { Matchers } from '../graph/graph-queries';
import { pathName, type Query } from '../params';
import { knownNamespace, type RouteContext } from './context';

type Params = Record<string, string>;

async function inputs(ctx: RouteContext): Promise<GraphInputs> {
  const [namespaces, workloads, services] = await Promise.all([ctx.inventory.namespaces(), ctx.inventory.workloads(), ctx.inventory.services()]);
  return { query: (q, t) => ctx.metrics.query(q, t), inventory: { workloads, services }, visible: new Set(namespaces), cluster: ctx.cluster };
}

/** Inbound (from unknown sources and from reporting sources) and outbound selectors of one node. */
function nodeSelectors(ns: string, dest: Matchers, src: Matchers): Matchers[] {
  const out: Matchers[] = [
    [['reporter', '=', 'destination'], ['source_workload', '=', 'unknown'], ...dest],
    [['reporter', '=', 'source'], ...dest],
  ];
  if (src.length > 0) out.push([['reporter', '=', 'source'], ['source_workload_namespace', '=', ns], ...src]);
  return out;
}

function focus(kind: string, ns: string, p: Params): Matchers[] {
  if (kind === 'service') return nodeSelectors(ns, [['destination_service_namespace', '=', ns], ['destination_service_name', '=', pathName('service', p['service'] ?? '')]], []);
  if (kind === 'workload') {
    const w = pathName('workload', p['workload'] ?? '');
    return nodeSelectors(ns, [['destination_workload_namespace', '=', ns], ['destination_workload', '=', w]], [['source_workload', '=', w]]);
  }
  const app = pathName('app', p['app'] ?? '');
  const v = p['version'] === undefined ? undefined : pathName('version', p['version']);
  const dest: Matchers = [['destination_workload_namespace', '=', ns], ['destination_canonical_service', '=', app]];
  const src: Matchers = [['source_canonical_service', '=', app]];
  if (v !== undefined) {
    dest.push(['destination_canonical_revision', '=', v]);
    src.push(['source_canonical_revision', '=', v]);
  }
  return nodeSelectors(ns, dest, src);
}

const empty = (o: GraphOptions): GraphResponse => ({ timestamp: o.queryTime, duration: o.duration, graphType: o.graphType, elements: { nodes: [], edges: [] } });

export function registerGraphRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Querystring: Query }>('/namespaces/graph', async (req) => {
    const opts = parseGraphOptions(req.query, ctx.nowSeconds(), true);
    return buildNamespacesGraph(opts, await inputs(ctx));
  });
  const node = (kind: string) => async (req: { params: Params; query: Query }): Promise<GraphResponse> => {
    const ns = await knownNamespace(ctx, req.params['namespace'] ?? '');
    const opts = parseGraphOptions(req.query, ctx.nowSeconds(), false);
    return buildNodeGraph(ns, focus(kind, ns, req.params), { ...opts, namespaces: [ns] }, await inputs(ctx));
  };
  app.get<{ Params: Params; Querystring: Query }>('/namespaces/:namespace/applications/:app/graph', node('app'));
  app.get<{ Params: Params; Querystring: Query }>('/namespaces/:namespace/applications/:app/versions/:version/graph', node('app'));
  app.get<{ Params: Params; Querystring: Query }>('/namespaces/:namespace/workloads/:workload/graph', node('workload'));
  app.get<{ Params: Params; Querystring: Query }>('/namespaces/:namespace/services/:service/graph', node('service'));
  // Operation (request_operation) nodes need Istio's attribute-gen classification, which Trellis proxies do not emit.
  const aggregate = async (req: { params: Params; query: Query }): Promise<GraphResponse> => {
    await knownNamespace(ctx, req.params['namespace'] ?? '');
    return empty(parseGraphOptions(req.query, ctx.nowSeconds(), false));
  };
  app.get<{ Params: Params; Querystring: Query }>('/namespaces/:namespace/aggregates/:aggregate/:aggregateValue/graph', aggregate);
  app.get<{ Params: Params; Querystring: Query }>('/namespaces/:namespace/aggregates/:aggregate/:aggregateValue/:service/graph', aggregate);
}
