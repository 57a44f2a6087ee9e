import type { InventoryService, InventoryWorkload } from '../inventory';
import type { RateRow } from './rate-table';

/** Bookinfo's traffic behind the contract's samples (kiali/samples/graph-*.json), as Istio labels. */
interface Peer {
  ns: string;
  workload: string;
  app: string;
  version: string;
  sa: string;
}

const peer = (ns: string, workload: string, app: string, version: string, sa: string): Peer => ({ ns, workload, app, version, sa });
export const INGRESS = peer('istio-system', 'istio-ingressgateway', 'istio-ingressgateway', 'latest', 'istio-ingressgateway-service-account');
const bi = (app: string, v: string): Peer => peer('default', `${app}-${v}`, app, v, `bookinfo-${app}`);

interface Call {
  from: Peer;
  to: Peer;
  service: string;
  code: string;
  flags: string;
  rate: number;
  /** Response time (ms) the histogram should yield. */
  ms: number;
}

const call = (from: Peer, to: Peer, service: string, rate: number, ms: number, code = '200', flags = '-'): Call => ({ from, to, service, code, flags, rate, ms });

export const BOOKINFO_CALLS: Call[] = [
  call(INGRESS, bi('productpage', 'v1'), 'productpage', 10, 35),
  call(bi('productpage', 'v1'), bi('details', 'v1'), 'details', 10, 4),
  call(bi('productpage', 'v1'), bi('reviews', 'v1'), 'reviews', 3.4, 9),
  call(bi('productpage', 'v1'), bi('reviews', 'v2'), 'reviews', 3.3, 21),
  call(bi('productpage', 'v1'), bi('reviews', 'v3'), 'reviews', 3.3, 26),
  call(bi('reviews', 'v2'), bi('ratings', 'v1'), 'ratings', 3.3, 3),
  call(bi('reviews', 'v3'), bi('ratings', 'v1'), 'ratings', 3.1, 3),
  call(bi('reviews', 'v3'), bi('ratings', 'v1'), 'ratings', 0.2, 3, '503', 'URX'),
];

const principal = (p: Peer): string => `spiffe://cluster.local/ns/${p.ns}/sa/${p.sa}`;

export function istioLabels(c: Call, reporter: 'source' | 'destination', protocol = 'http'): Record<string, string> {
  const { from: s, to: d } = c;
  return {
    reporter,
    source_workload: s.workload, source_workload_namespace: s.ns, source_canonical_service: s.app, source_canonical_revision: s.version,
    source_app: s.app, source_version: s.version, source_principal: principal(s), source_cluster: 'Kubernetes',
    destination_workload: d.workload, destination_workload_namespace: d.ns, destination_canonical_service: d.app, destination_canonical_revision: d.version,
    destination_app: d.app, destination_version: d.version, destination_principal: principal(d), destination_cluster: 'Kubernetes',
    destination_service: `${c.service}.${d.ns}.svc.cluster.local`, destination_service_name: c.service, destination_service_namespace: d.ns,
    request_protocol: protocol, response_code: c.code, grpc_response_status: '', response_flags: c.flags,
    connection_security_policy: reporter === 'destination' ? 'mutual_tls' : 'unknown',
  };
}

/** istio_requests_total and the duration histogram (buckets chosen so the 0.95 quantile rounds to `ms`). */
export function bookinfoRows(calls: readonly Call[] = BOOKINFO_CALLS): RateRow[] {
  const rows: RateRow[] = [];
  for (const c of calls) {
    for (const reporter of ['source', 'destination'] as const) {
      const labels = istioLabels(c, reporter);
      rows.push({ metric: 'istio_requests_total', labels, rate: c.rate });
      for (const [le, n] of [[String(c.ms - 1), 0], [String(c.ms), c.rate], ['+Inf', c.rate]] as const) {
        rows.push({ metric: 'istio_request_duration_milliseconds_bucket', labels: { ...labels, le }, rate: n });
      }
    }
  }
  return rows;
}

const wl = (ns: string, name: string, app: string, version: string, sidecar = true): InventoryWorkload => ({
  namespace: ns, name, app, version, labels: { app, version }, serviceAccount: `bookinfo-${app}`,
  pods: [{ name: `${name}-5d8f7c9b6c-x2x4z`, address: '127.0.10.2', ready: true }], sidecar,
});
const svc = (name: string): InventoryService => ({
  namespace: 'default', name, hostname: `${name}.default.svc.cluster.local`, labels: { app: name, service: name }, selector: { app: name },
  ports: [{ name: 'http', port: 9080, protocol: 'TCP' }],
});

export const BOOKINFO_WORKLOADS: InventoryWorkload[] = [
  { ...wl('istio-system', 'istio-ingressgateway', 'istio-ingressgateway', 'latest', false), labels: { app: 'istio-ingressgateway', istio: 'ingressgateway' } },
  wl('default', 'productpage-v1', 'productpage', 'v1'),
  wl('default', 'details-v1', 'details', 'v1'),
  wl('default', 'reviews-v1', 'reviews', 'v1'),
  wl('default', 'reviews-v2', 'reviews', 'v2'),
  wl('default', 'reviews-v3', 'reviews', 'v3'),
  wl('default', 'ratings-v1', 'ratings', 'v1'),
];
export const BOOKINFO_SERVICES: InventoryService[] = ['productpage', 'details', 'reviews', 'ratings'].map(svc);
