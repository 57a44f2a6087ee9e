import type { RateRow } from '../testing/rate-table';
import { tableQuery } from '../testing/rate-table';
import { BOOKINFO_CALLS, istioLabels } from '../testing/bookinfo-traffic';
import { buildNamespacesGraph } from './build-graph';
import type { GraphResponse } from './cytoscape';
import { parseGraphOptions } from './graph-options';

type Data = Record<string, unknown>;
const base = BOOKINFO_CALLS[5]!; // reviews-v2 → ratings-v1

function row(metric: string, overrides: Record<string, string>, rate: number, reporter: 'source' | 'destination' = 'source'): RateRow {
  return { metric, labels: { ...istioLabels(base, reporter), ...overrides }, rate };
}

async function graph(rows: RateRow[], q: Record<string, string>, namespaces = ['default']): Promise<GraphResponse> {
  const opts = parseGraphOptions({ namespaces: namespaces.join(','), duration: '60s', appenders: 'istio', ...q }, 100, true);
  return buildNamespacesGraph(opts, { query: tableQuery(rows), inventory: { workloads: [], services: [] }, visible: new Set(['default', 'istio-system', 'other']), cluster: 'Kubernetes' });
}

const nodes = (g: GraphResponse): Data[] => g.elements.nodes.map((n) => n.data);
const edges = (g: GraphResponse): Data[] => g.elements.edges.map((e) => e.data);
const edgeRates = (g: GraphResponse): Record<string, string>[] => g.elements.edges.map((e) => e.data.traffic.rates ?? {});

describe('§5.4 traffic cases', () => {
  it('TCP: istio_tcp_sent_bytes_total gives tcp rates and responses under "-"', async () => {
    const g = await graph([row('istio_tcp_sent_bytes_total', { request_protocol: 'tcp', destination_service_name: 'mongodb', destination_service: 'mongodb.default.svc.cluster.local', destination_workload: 'mongodb-v1', destination_canonical_service: 'mongodb' }, 1234.5)], { graphType: 'workload' });
    expect(edges(g)).toEqual([expect.objectContaining({ traffic: { protocol: 'tcp', rates: { tcp: '1234.50', tcpPercentReq: '100.0' }, responses: { '-': { flags: { '-': '100.0' }, hosts: { 'mongodb.default.svc.cluster.local': '100.0' } } } } })]);
    expect(nodes(g).find((n) => n['workload'] === 'mongodb-v1')?.['traffic']).toEqual([{ protocol: 'tcp', rates: { tcpIn: '1234.50' } }]);
  });

  it('gRPC: the gRPC status is the code; non-zero statuses are errors; "0" response code means no response', async () => {
    const grpc = { request_protocol: 'grpc', response_code: '200' };
    const g = await graph([row('istio_requests_total', { ...grpc, grpc_response_status: '0' }, 9), row('istio_requests_total', { ...grpc, grpc_response_status: '14' }, 1), row('istio_requests_total', { ...grpc, response_code: '0', grpc_response_status: '' }, 0.5)], { graphType: 'workload' });
    expect(edgeRates(g)).toEqual([{ grpc: '10.50', grpcErr: '1.00', grpcNoResponse: '0.50', grpcPercentErr: '14.3', grpcPercentReq: '100.0' }]);
    expect(Object.keys(g.elements.edges[0]!.data.traffic.responses ?? {}).sort()).toEqual(['-', '0', '14']);
  });

  it('HTTP code classes, percentages with 1 decimal, small rates keep a significant digit', async () => {
    const g = await graph([row('istio_requests_total', {}, 1), row('istio_requests_total', { response_code: '404' }, 0.002), row('istio_requests_total', { response_code: '0', response_flags: 'UH' }, 0.001), row('istio_requests_total', { response_code: '301' }, 0.5)], { graphType: 'workload' });
    expect(edgeRates(g)).toEqual([{ http: '1.50', http3xx: '0.50', http4xx: '0.002', httpNoResponse: '0.001', httpPercentErr: '0.2', httpPercentReq: '100.0' }]);
    const target = nodes(g).find((n) => n['workload'] === 'ratings-v1');
    expect(target?.['traffic']).toEqual([{ protocol: 'http', rates: { httpIn: '1.50', httpIn3xx: '0.50', httpIn4xx: '0.002', httpInNoResponse: '0.001' } }]);
  });

  it('traffic from outside the mesh: the unknown source node, inaccessible, root', async () => {
    const unknown = { source_workload: 'unknown', source_workload_namespace: 'unknown', source_canonical_service: 'unknown', source_canonical_revision: 'unknown', source_cluster: 'unknown' };
    const g = await graph([row('istio_requests_total', unknown, 2, 'destination')], { graphType: 'versionedApp', injectServiceNodes: 'true' });
    const src = nodes(g).find((n) => n['nodeType'] === 'unknown');
    expect(src).toEqual(expect.objectContaining({ namespace: 'unknown', cluster: 'unknown', isInaccessible: true, isRoot: true }));
    expect(edges(g)).toHaveLength(2); // unknown → ratings (service) → ratings-v1
  });

  it('bad telemetry is dropped: a known namespace without workload or app; an IP destination without workload', async () => {
    const g = await graph([
      row('istio_requests_total', { source_workload: 'unknown', source_canonical_service: 'unknown' }, 1),
      row('istio_requests_total', { destination_workload: 'unknown', destination_service: '10.0.0.7', destination_service_name: '10.0.0.7' }, 1),
    ], { graphType: 'workload' });
    expect(g.elements).toEqual({ nodes: [], edges: [] });
  });

  it('isOutside and a partial mTLS percentage; PassthroughCluster is inaccessible', async () => {
    const rows = [
      row('istio_requests_total', {}, 3, 'destination'),
      row('istio_requests_total', { connection_security_policy: 'none' }, 1, 'destination'),
      row('istio_requests_total', {}, 4),
      row('istio_requests_total', { destination_service_name: 'PassthroughCluster', destination_service: 'PassthroughCluster', destination_workload: 'unknown', destination_canonical_service: 'unknown', destination_workload_namespace: 'unknown', destination_service_namespace: 'unknown' }, 1),
    ];
    const g = await graph(rows, { graphType: 'workload', appenders: 'securityPolicy' });
    const toRatings = edges(g).find((e) => nodes(g).find((n) => n['id'] === e['target'])?.['workload'] === 'ratings-v1');
    expect(toRatings?.['isMTLS']).toBe('75');
    expect(nodes(g).find((n) => n['service'] === 'PassthroughCluster')).toEqual(expect.objectContaining({ isInaccessible: true }));
  });

  it('merging namespaces keeps one copy of shared nodes and every edge once', async () => {
    const other = { destination_workload_namespace: 'other', destination_service_namespace: 'other', destination_service: 'ratings.other.svc.cluster.local' };
    const g = await graph([row('istio_requests_total', other, 2), row('istio_requests_total', {}, 1)], { graphType: 'workload' }, ['default', 'other']);
    expect(nodes(g).map((n) => `${String(n['namespace'])}/${String(n['workload'])}`).sort()).toEqual(['default/ratings-v1', 'default/reviews-v2', 'other/ratings-v1']);
    expect(edges(g)).toHaveLength(2);
    expect(nodes(g).some((n) => n['isOutside'] === true)).toBe(false);
  });

  it('boxing: an app box needs two members; namespace boxes wrap the rest; workload graphs get no app boxes', async () => {
    const rows = [row('istio_requests_total', {}, 1)];
    const single = await graph(rows, { graphType: 'versionedApp', boxBy: 'app' });
    expect(nodes(single).filter((n) => n['nodeType'] === 'box')).toEqual([]);
    const v3 = row('istio_requests_total', { source_workload: 'reviews-v3', source_canonical_revision: 'v3' }, 1);
    const ns = await graph([...rows, v3], { graphType: 'versionedApp', boxBy: 'app,namespace' });
    const boxes = nodes(ns).filter((n) => n['nodeType'] === 'box');
    expect(boxes.map((b) => b['isBox'])).toEqual(['namespace', 'app']);
    expect(boxes[1]!['parent']).toBe(boxes[0]!['id']);
    const wl = await graph(rows, { graphType: 'workload', boxBy: 'app', injectServiceNodes: 'true' });
    expect(nodes(wl).filter((n) => n['nodeType'] === 'box')).toEqual([]);
  });

  it('includeIdleEdges keeps zero-rate edges as {protocol} only', async () => {
    const g = await graph([row('istio_requests_total', {}, 0)], { graphType: 'workload', includeIdleEdges: 'true' });
    expect(g.elements.edges.map((e) => e.data.traffic)).toEqual([{ protocol: 'http' }]);
    const idle = await graph([row('istio_requests_total', {}, 0)], { graphType: 'workload' });
    expect(idle.elements.edges).toEqual([]);
  });
});
