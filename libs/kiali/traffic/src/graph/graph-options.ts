import { bool, choice, durationSeconds, list, number, one, badParam, type Query } from '../params';
import type { BoxBy } from './boxing';
import type { GraphType } from './node-id';

export const ALL_APPENDERS = ['deadNode', 'sidecarsCheck', 'serviceEntry', 'istio', 'healthConfig', 'securityPolicy', 'responseTime', 'idleNode', 'aggregateNode'] as const;

export interface GraphOptions {
  namespaces: string[];
  graphType: GraphType;
  injectServiceNodes: boolean;
  /** Rate window, seconds. */
  duration: number;
  /** Epoch seconds. */
  queryTime: number;
  boxBy: Set<BoxBy>;
  includeIdleEdges: boolean;
  appenders: Set<string>;
  responseTimeQuantile: number;
}

/** §5.1 parameters; `namespacesRequired` for `namespaces/graph`, node graphs pass their own. */
export function parseGraphOptions(q: Query, nowSeconds: number, namespacesRequired: boolean): GraphOptions {
  const namespaces = list(q, 'namespaces');
  if (namespacesRequired && namespaces.length === 0) throw badParam('namespaces', 'at least one namespace is required');
  const graphType = choice<GraphType>(q, 'graphType', ['app', 'versionedApp', 'workload', 'service'], 'workload');
  const boxBy = new Set<BoxBy>();
  for (const b of list(q, 'boxBy')) {
    if (b !== 'app' && b !== 'namespace' && b !== 'cluster') throw badParam('boxBy', `"${b}" is not one of app, namespace, cluster`);
    boxBy.add(b);
  }
  const appendersRaw = one(q, 'appenders');
  return {
    namespaces,
    graphType,
    injectServiceNodes: graphType === 'service' || bool(q, 'injectServiceNodes', false),
    duration: durationSeconds(q, 'duration', 600),
    queryTime: number(q, 'queryTime', nowSeconds, (n) => Number.isInteger(n) && n > 0),
    boxBy,
    includeIdleEdges: bool(q, 'includeIdleEdges', false),
    appenders: new Set(appendersRaw === undefined ? ALL_APPENDERS : appendersRaw.split(',').filter((a) => a !== '')),
    responseTimeQuantile: number(q, 'responseTimeQuantile', 0.95, (n) => n > 0 && n < 1),
  };
}
