import { ALL_METRICS } from './istio-render';
import { IstioMetrics, compileOverrides } from './istio-metrics';
import type { WorkloadInfo } from './workload';

/**
 * A store with Bookinfo-like cardinality and the awkward cases (tests only): both reporters, HTTP,
 * gRPC and TCP series, equal label texts from two edges (summed), dropped metrics and removed tags,
 * label values with quotes, backslashes, newlines and UTF-8.
 */
const workload = (name: string, app: string, version: string, extra: Partial<WorkloadInfo> = {}): WorkloadInfo => ({
  workload: name, namespace: 'default', app, version, canonicalService: app, canonicalRevision: version, cluster: 'Kubernetes', ...extra,
} as WorkloadInfo);

export function exposureFixture(): IstioMetrics {
  const local = workload('productpage-v1', 'productpage', 'v1');
  const m = new IstioMetrics(local);
  const peers = ['details', 'reviews', 'ratings'].flatMap((app) => ['v1', 'v2', 'v3'].map((v) => workload(`${app}-${v}`, app, v)));
  peers.push(workload('odd-v1', 'odd "app"\\x', 'v\n1', { namespace: 'naïve-ñs' }));
  const plain = m.scope('source', compileOverrides([], ALL_METRICS));
  const trimmed = m.scope('destination', compileOverrides([{ name: 'request_bytes', drop: true }, { name: 'requests_total', tags_to_remove: ['source_principal', 'destination_version'] }], ALL_METRICS));
  let n = 0;
  for (const scope of [plain, trimmed]) {
    for (const p of peers) {
      const host = `${p.app}.default.svc.cluster.local`;
      for (const principal of ['', 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage']) {
        const edge = scope.edge(p, host, p.app, principal, principal);
        for (const code of [200, 503]) {
          const s = edge.httpSeries(code === 200 ? '-' : 'UF', code, false, -1);
          s.requests += 3 + (n % 7);
          for (let i = 0; i < 5; i++) s.duration.record((n++ * 37) % 5000);
          s.requestBytes.record(n % 900);
          s.responseBytes.record((n * 13) % 70000);
        }
        const g = edge.httpSeries('-', 200, true, n % 3);
        g.requests++;
        g.requestMessages += 2;
        g.responseMessages += 5;
        const t = edge.tcpSeries('-');
        t.opened += 2;
        t.sent += n * 11;
        t.received += n;
      }
    }
    // An equal label text from another peer object: summed into the same series.
    const twin = scope.edge(workload('details-v1', 'details', 'v1'), 'details.default.svc.cluster.local', 'details', '', '');
    twin.httpSeries('-', 200, false, -1).requests += 100;
  }
  return m;
}
