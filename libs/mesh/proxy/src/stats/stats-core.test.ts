import { DEFAULT_BOUND_LABELS, Histogram, formatBound } from './histogram';
import { HTTP_LABELS, peerLabelValues, securityPolicy } from './istio-labels';
import { IstioMetrics, compileOverrides } from './istio-metrics';
import { ALL_METRICS, renderIstioMetrics } from './istio-render';
import { decodePeerMetadata, encodePeerMetadata } from './peer-metadata-codec';
import { escapeLabelValue } from './prom-text';
import { decodeStruct, encodeStruct } from './struct-wire';
import { type WorkloadInfo, canonicalRevision, canonicalService, localWorkload, principalNamespace, workloadName } from './workload';

const productpage: WorkloadInfo = localWorkload({
  id: 'sidecar~10.0.0.7~productpage-v1-6b746f74dc-9stvs.default~default.svc.cluster.local',
  cluster: 'productpage.default',
  name: 'productpage-v1-6b746f74dc-9stvs',
  namespace: 'default',
  labels: { app: 'productpage', version: 'v1', 'pod-template-hash': '6b746f74dc' },
  serviceAccount: 'bookinfo-productpage',
  clusterId: 'Kubernetes',
  instanceIp: '10.0.0.7',
});
const reviews: WorkloadInfo = { instance: 'reviews-v3-xyz', namespace: 'default', workload: 'reviews-v3', canonicalService: 'reviews', canonicalRevision: 'v3', app: 'reviews', version: 'v3', cluster: 'Kubernetes' };

describe('workload names (Istio: the Deployment of a ReplicaSet pod)', () => {
  it.each([
    ['productpage-v1-6b746f74dc-9stvs', { 'pod-template-hash': '6b746f74dc' }, 'productpage-v1'],
    ['reviews-v2-bcdfghjklm-xz2b4', {}, 'reviews-v2'],
    ['istio-ingressgateway-5b6f7c4d9-q8lr8', {}, 'istio-ingressgateway'],
    ['mysqldb', {}, 'mysqldb'],
    ['details-v1', {}, 'details-v1'],
  ])('%s → %s', (pod, labels, want) => expect(workloadName(pod, labels)).toBe(want));

  it('canonical service and revision fall back as Istio: label, app.kubernetes.io/*, app/version, workload/latest', () => {
    expect(canonicalService({ 'service.istio.io/canonical-name': 'c', app: 'a' }, 'w')).toBe('c');
    expect(canonicalService({ 'app.kubernetes.io/name': 'k', app: 'a' }, 'w')).toBe('k');
    expect(canonicalService({ app: 'a' }, 'w')).toBe('a');
    expect(canonicalService({}, 'w')).toBe('w');
    expect(canonicalRevision({ version: 'v2' })).toBe('v2');
    expect(canonicalRevision({})).toBe('latest');
    expect(productpage).toMatchObject({ workload: 'productpage-v1', canonicalService: 'productpage', canonicalRevision: 'v1', app: 'productpage', version: 'v1' });
  });

  it('reads the namespace of a SPIFFE principal', () => {
    expect(principalNamespace('spiffe://cluster.local/ns/foo/sa/bar')).toBe('foo');
    expect(principalNamespace('spiffe://cluster.local/ns/foo')).toBe('foo');
    expect(principalNamespace('CN=x')).toBe('');
  });
});

describe('peer metadata (google.protobuf.Struct, base64)', () => {
  it('round-trips a workload, keys sorted as deterministic serialization', () => {
    const value = encodePeerMetadata(productpage);
    expect(decodePeerMetadata(value)).toEqual(productpage);
    const s = decodeStruct(Buffer.from(value, 'base64'));
    expect(Object.keys(s)).toEqual(['CLUSTER_ID', 'LABELS', 'NAME', 'NAMESPACE', 'OWNER', 'WORKLOAD_NAME']);
    expect(s['OWNER']).toBe('kubernetes://apis/apps/v1/namespaces/default/deployments/productpage-v1');
  });

  it('encodes Struct { fields: map<string, Value> } with Value.string_value (3) and struct_value (5)', () => {
    // fields entry (1, LEN) { key (1) "a", value (2) { string_value (3) "b" } }
    expect(encodeStruct({ a: 'b' })).toEqual(Buffer.from([0x0a, 0x08, 0x0a, 0x01, 0x61, 0x12, 0x03, 0x1a, 0x01, 0x62]));
    expect(decodeStruct(encodeStruct({ x: { y: 'z' } }))).toEqual({ x: { y: 'z' } });
  });

  it('decodes what Istio sends (a gateway header from the wild, with more keys than we use)', () => {
    const istio = 'ChQKDkFQUF9DT05UQUlORVJTEgIaAAoaCgpDTFVTVEVSX0lEEgwaCkt1YmVybmV0ZXM=';
    expect(decodePeerMetadata(istio)).toMatchObject({ cluster: 'Kubernetes', workload: '' });
  });

  it('rejects garbage without throwing', () => {
    expect(decodePeerMetadata('////')).toBeUndefined();
    expect(decodePeerMetadata(Buffer.from([0x0a, 0x7f, 0x01]).toString('base64'))).toBeUndefined();
  });
});

describe('histograms (Envoy default buckets)', () => {
  it('prints bounds as Envoy (%g)', () => {
    expect(DEFAULT_BOUND_LABELS).toEqual(['0.5', '1', '5', '10', '25', '50', '100', '250', '500', '1000', '2500', '5000', '10000', '30000', '60000', '300000', '600000', '1.8e+06', '3.6e+06']);
    expect(formatBound(0.25)).toBe('0.25');
  });

  it('counts a value in the first bucket whose bound is >= it; cumulative ends with the count', () => {
    const h = new Histogram();
    for (const v of [0, 0.5, 0.6, 1, 4000, 1e7]) h.record(v);
    const c = h.cumulative();
    expect(c.slice(0, 3)).toEqual([2, 4, 4]);
    expect(c[11]).toBe(5); // le=5000
    expect(c[18]).toBe(5); // le=3.6e+06
    expect(c[19]).toBe(6); // +Inf
    expect(h.sum).toBeCloseTo(10004002.1);
  });
});

describe('labels', () => {
  it('escapes backslash, quote and newline; keeps UTF-8', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue('レクサス')).toBe('レクサス');
  });

  it('server side: source from the peer and its certificate, destination from the local workload', () => {
    const f = { reporter: 'destination' as const, peer: productpage, peerPrincipal: 'spiffe://cluster.local/ns/default/sa/bookinfo-productpage', localPrincipal: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews', serviceHost: 'reviews.default.svc.cluster.local', serviceName: 'reviews' };
    const v = peerLabelValues(reviews, f);
    expect(Object.fromEntries(v.map((x, i) => [HTTP_LABELS[i], x]))).toEqual({
      reporter: 'destination', source_workload: 'productpage-v1', source_canonical_service: 'productpage', source_canonical_revision: 'v1', source_workload_namespace: 'default',
      source_principal: f.peerPrincipal, source_app: 'productpage', source_version: 'v1', source_cluster: 'Kubernetes', destination_workload: 'reviews-v3', destination_workload_namespace: 'default',
      destination_principal: f.localPrincipal, destination_app: 'reviews', destination_version: 'v3', destination_service: 'reviews.default.svc.cluster.local', destination_canonical_service: 'reviews',
      destination_canonical_revision: 'v3', destination_service_name: 'reviews', destination_service_namespace: 'default', destination_cluster: 'Kubernetes',
    });
    expect(securityPolicy(f)).toBe('mutual_tls');
    expect(securityPolicy({ ...f, peerPrincipal: '' })).toBe('none');
  });

  it('client side without a peer: unknown, revisions latest, security unknown', () => {
    const f = { reporter: 'source' as const, peer: undefined, peerPrincipal: '', localPrincipal: '', serviceHost: '', serviceName: '' };
    const v = peerLabelValues(productpage, f);
    expect(v.slice(0, 10)).toEqual(['source', 'productpage-v1', 'productpage', 'v1', 'default', 'unknown', 'productpage', 'v1', 'Kubernetes', 'unknown']);
    expect(v[16]).toBe('latest');
    expect(securityPolicy(f)).toBe('unknown');
  });
});

describe('the store and its exposition', () => {
  it('adds up equal series, renders counters and histograms, honours drop and tags_to_remove', () => {
    const m = new IstioMetrics(reviews);
    const scope = m.scope('destination', compileOverrides([{ name: 'request_bytes', drop: true }, { name: 'requests_total', tags_to_remove: ['source_principal'] }], ALL_METRICS));
    const edge = scope.edge(productpage, 'reviews.default.svc.cluster.local', 'reviews', '', '');
    expect(scope.edge(productpage, 'reviews.default.svc.cluster.local', 'reviews', '', '')).toBe(edge);
    for (let i = 0; i < 3; i++) {
      const s = edge.httpSeries('-', 200, false, -1);
      s.requests++;
      s.duration.record(7);
    }
    const text = renderIstioMetrics(m);
    expect(text).toContain('# TYPE istio_requests_total counter\n');
    expect(text).toMatch(/istio_requests_total\{reporter="destination",source_workload="productpage-v1",source_canonical_service="productpage",source_canonical_revision="v1",source_workload_namespace="default",source_app="productpage",.*,request_protocol="http",response_code="200",grpc_response_status="",response_flags="-",connection_security_policy="none"\} 3\n/);
    expect(text).toContain('# TYPE istio_request_duration_milliseconds histogram\n');
    expect(text).toMatch(/istio_request_duration_milliseconds_bucket\{reporter="destination",.*source_principal="unknown",.*,le="5"\} 0\n/);
    expect(text).toMatch(/istio_request_duration_milliseconds_bucket\{.*,le="10"\} 3\n/);
    expect(text).toMatch(/istio_request_duration_milliseconds_bucket\{.*,le="\+Inf"\} 3\n/);
    expect(text).toMatch(/istio_request_duration_milliseconds_sum\{.*\} 21\n/);
    expect(text).toMatch(/istio_request_duration_milliseconds_count\{.*\} 3\n/);
    expect(text).not.toContain('istio_request_bytes');
    expect(text).toContain('istio_response_bytes_bucket');
  });
});
