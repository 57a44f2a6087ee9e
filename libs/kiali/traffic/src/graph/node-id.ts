import { createHash } from 'node:crypto';
import { ok, UNKNOWN } from './labels';

export type GraphType = 'app' | 'versionedApp' | 'workload' | 'service';
export type NodeType = 'app' | 'service' | 'workload' | 'unknown' | 'box';

/** What identifies one side of a sample (Kiali's graph.Id inputs). */
export interface NodeRef {
  cluster: string;
  /** Workload namespace (may be unknown). */
  namespace: string;
  serviceNamespace: string;
  service: string;
  workload: string;
  app: string;
  version: string;
}

export interface NodeKey {
  id: string;
  nodeType: NodeType;
  namespace: string;
}

export const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function appKey(r: NodeRef, ns: string, graphType: GraphType): string | undefined {
  if (!ok(r.app)) return undefined;
  if (graphType === 'versionedApp' && ok(r.workload)) return `vapp_${r.cluster}_${ns}_${r.workload}`;
  if (graphType === 'versionedApp' && ok(r.version)) return `vapp_${r.cluster}_${ns}_${r.app}_${r.version}`;
  return `app_${r.cluster}_${ns}_${r.app}`;
}

/** Kiali's node key and type (contract §6.2); `id` is md5 of the readable key. */
export function nodeKey(r: NodeRef, graphType: GraphType): NodeKey {
  const ns = ok(r.namespace) ? r.namespace : r.serviceNamespace;
  const noService = r.service === '' || r.service === UNKNOWN;
  if (!ok(r.namespace) && !ok(r.workload) && !ok(r.app) && noService && !ok(r.serviceNamespace)) {
    return { id: md5(`${r.cluster}_unknown_source`), nodeType: 'unknown', namespace: UNKNOWN };
  }
  if (!ok(r.workload) && !ok(r.app) && noService) return { id: md5(`svc_${r.cluster}_${ns}_unknown`), nodeType: 'service', namespace: ns };
  if (graphType === 'app' || graphType === 'versionedApp') {
    const key = appKey(r, ns, graphType);
    if (key !== undefined) return { id: md5(key), nodeType: 'app', namespace: ns };
  }
  if (ok(r.workload)) return { id: md5(`wl_${r.cluster}_${ns}_${r.workload}`), nodeType: 'workload', namespace: ns };
  return { id: md5(`svc_${r.cluster}_${ns}_${r.service}`), nodeType: 'service', namespace: ns };
}

export const edgeId = (source: string, target: string, protocol: string): string => md5(`${source}.${target}.${protocol}`);
export const boxId = (parts: string[]): string => md5(`box_${parts.join('_')}`);
