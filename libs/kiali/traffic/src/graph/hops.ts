import { label, looksLikeIp, ok, UNKNOWN } from './labels';
import { nodeKey, type GraphType, type NodeRef } from './node-id';

/** A source → destination pair of node refs that one sample contributes to. */
export interface Hop {
  src: NodeRef;
  dst: NodeRef;
  destService: { cluster: string; namespace: string; name: string };
}

export interface HopOptions {
  graphType: GraphType;
  injectServiceNodes: boolean;
}

const cluster = (v: string): string => (v === '' ? UNKNOWN : v);

export function sourceRef(m: Record<string, string>): NodeRef {
  return {
    cluster: cluster(label(m, 'source_cluster')),
    namespace: label(m, 'source_workload_namespace'),
    serviceNamespace: '',
    service: '',
    workload: label(m, 'source_workload'),
    app: label(m, 'source_canonical_service'),
    version: label(m, 'source_canonical_revision'),
  };
}

export function destRef(m: Record<string, string>): NodeRef {
  return {
    cluster: cluster(label(m, 'destination_cluster')),
    namespace: label(m, 'destination_workload_namespace'),
    serviceNamespace: label(m, 'destination_service_namespace'),
    service: label(m, 'destination_service_name'),
    workload: label(m, 'destination_workload'),
    app: label(m, 'destination_canonical_service'),
    version: label(m, 'destination_canonical_revision'),
  };
}

/** §5.4 steps 3–4: telemetry Kiali drops. */
export function isBadTelemetry(m: Record<string, string>): boolean {
  const src = sourceRef(m);
  if (ok(src.namespace) && !ok(src.workload) && !ok(src.app)) return true;
  const destSvc = label(m, 'destination_service');
  return !ok(label(m, 'destination_workload')) && destSvc === label(m, 'destination_service_name') && looksLikeIp(destSvc);
}

/** §5.4 step 6: one hop, or two through an injected service node. */
export function hopsOf(m: Record<string, string>, opts: HopOptions): Hop[] {
  const src = sourceRef(m);
  const dst = destRef(m);
  const destService = { cluster: dst.cluster, namespace: dst.serviceNamespace, name: dst.service };
  const inject = opts.injectServiceNodes && ok(dst.service) && nodeKey(dst, opts.graphType).nodeType !== 'service';
  if (!inject) return [{ src, dst, destService }];
  const svc: NodeRef = { cluster: dst.cluster, namespace: dst.serviceNamespace, serviceNamespace: dst.serviceNamespace, service: dst.service, workload: '', app: '', version: '' };
  return [
    { src, dst: svc, destService },
    { src: svc, dst, destService },
  ];
}
