import { TrellisError } from '@trellis/shared';
import type { KialiInventory, MetricsSource } from '../inventory';
import type { NamespaceInventory } from '../health/health';
import { pathName } from '../params';

/** What every traffic route needs: the inventory, the metrics source and the clock (epoch s). */
export interface RouteContext {
  inventory: KialiInventory;
  metrics: MetricsSource;
  nowSeconds: () => number;
  /** Istio's default CLUSTER_ID, for nodes no sample names a cluster for. */
  cluster: string;
}

export const notFound = (resource: string, name: string, namespace?: string): TrellisError =>
  new TrellisError('NOT_FOUND', `${resource} "${name}" not found${namespace === undefined ? '' : ` in namespace "${namespace}"`}`, {
    resource,
    name,
    ...(namespace === undefined ? {} : { namespace }),
  });

/** The path's namespace, checked to exist (404 otherwise). */
export async function knownNamespace(ctx: RouteContext, raw: string): Promise<string> {
  const ns = pathName('namespace', raw);
  if (!(await ctx.inventory.namespaces()).includes(ns)) throw notFound('namespace', ns);
  return ns;
}

export async function namespaceInventory(ctx: RouteContext, ns: string): Promise<NamespaceInventory> {
  const [workloads, services] = await Promise.all([ctx.inventory.workloads(ns), ctx.inventory.services(ns)]);
  return { workloads, services };
}
