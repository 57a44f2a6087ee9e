import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseYamlDocuments, validateConfig, type DestinationRule, type MeshSnapshot, type PeerAuthentication } from '@trellis/mesh-api';
import { translate, type Cluster, type LbEndpoint, type XdsResources } from './index';
import { bookinfoSnapshot, cluster, GATEWAY_PROXY, NS, sidecarProxy, WORKLOADS } from './testing/bookinfo';

const MTLS = { mtls: true } as const;
const proxy = sidecarProxy('productpage-v1');

const SDS = {
  api_config_source: {
    api_type: 'GRPC',
    set_node_on_first_message_only: true,
    transport_api_version: 'V3',
    grpc_services: [{ envoy_grpc: { cluster_name: 'sds-grpc' } }],
  },
  initial_fetch_timeout: { seconds: 0, nanos: 0 },
  resource_api_version: 'V3',
};

/** Golden: the ISTIO_MUTUAL socket towards reviews v1 (istiod's shape). */
const REVIEWS_V1_SOCKET = {
  name: 'envoy.transport_sockets.tls',
  typed_config: {
    '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
    common_tls_context: {
      tls_params: { tls_minimum_protocol_version: 'TLSv1_2', tls_maximum_protocol_version: 'TLSv1_3' },
      alpn_protocols: ['istio-peer-exchange', 'istio'],
      tls_certificate_sds_secret_configs: [{ name: 'default', sds_config: SDS }],
      combined_validation_context: {
        default_validation_context: { match_subject_alt_names: [{ exact: 'spiffe://cluster.local/ns/default/sa/bookinfo-reviews' }] },
        validation_context_sds_secret_config: { name: 'ROOTCA', sds_config: SDS },
      },
    },
    sni: 'outbound_.9080_.v1_.reviews.default.svc.cluster.local',
  },
};

const find = (r: XdsResources, name: string): Cluster => {
  const c = r.clusters.find((x) => x.name === name);
  if (!c) throw new Error(`no cluster ${name}`);
  return c;
};

function allMtlsSample(): DestinationRule[] {
  const file = path.join(__dirname, '../../../../samples/bookinfo/networking/destination-rule-all-mtls.yaml');
  const { valid, errors } = validateConfig(parseYamlDocuments(readFileSync(file, 'utf8'), file).objects, { namespace: NS });
  if (errors.length > 0) throw new Error(JSON.stringify(errors));
  return valid.filter((o): o is DestinationRule => o.kind === 'DestinationRule');
}

const pa = (ns: string, name: string, spec: PeerAuthentication['spec']): PeerAuthentication => ({
  apiVersion: 'security.istio.io/v1',
  kind: 'PeerAuthentication',
  metadata: { name, namespace: ns },
  spec,
});

describe('DestinationRule ISTIO_MUTUAL (destination-rule-all-mtls.yaml)', () => {
  const r = translate(bookinfoSnapshot({ destinationRules: allMtlsSample() }), proxy, MTLS);

  it('gives every cluster an UpstreamTlsContext with SDS default/ROOTCA, Istio SNI, SANs and ALPN', () => {
    expect(find(r, cluster('reviews', 'v1')).transport_socket).toEqual(REVIEWS_V1_SOCKET);
    const plain = find(r, cluster('ratings')).transport_socket?.typed_config as { sni?: string };
    expect(plain.sni).toBe('outbound_.9080_._.ratings.default.svc.cluster.local');
    expect(find(r, cluster('reviews', 'v1')).transport_socket_matches).toBeUndefined();
  });

  it('DR subjectAltNames and sni replace the computed ones, as istiod does', () => {
    const dr: DestinationRule = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: NS },
      spec: { host: 'reviews', trafficPolicy: { tls: { mode: 'ISTIO_MUTUAL', sni: 'reviews.example', subjectAltNames: ['spiffe://other/ns/x/sa/y'] } } },
    };
    const ctx = find(translate(bookinfoSnapshot({ destinationRules: [dr] }), proxy, MTLS), cluster('reviews')).transport_socket?.typed_config;
    expect(ctx).toMatchObject({
      sni: 'reviews.example',
      common_tls_context: { combined_validation_context: { default_validation_context: { match_subject_alt_names: [{ exact: 'spiffe://other/ns/x/sa/y' }] } } },
    });
  });

  it('emits nothing for ISTIO_MUTUAL while mTLS emission is off', () => {
    const off = translate(bookinfoSnapshot({ destinationRules: allMtlsSample() }), proxy);
    expect(find(off, cluster('reviews', 'v1')).transport_socket).toBeUndefined();
  });
});

describe('auto mTLS (no DestinationRule tls)', () => {
  const matchesOf = (snapshot: MeshSnapshot, name = cluster('reviews')): Cluster['transport_socket_matches'] =>
    find(translate(snapshot, proxy, MTLS), name).transport_socket_matches;

  it('transport_socket_matches: tlsMode-istio → mTLS, tlsMode-disabled → raw_buffer', () => {
    const matches = matchesOf(bookinfoSnapshot());
    expect(matches?.map((m) => [m.name, m.match, m.transport_socket?.name])).toEqual([
      ['tlsMode-istio', { tlsMode: 'istio' }, 'envoy.transport_sockets.tls'],
      ['tlsMode-disabled', {}, 'envoy.transport_sockets.raw_buffer'],
    ]);
    expect(matches?.[1]?.transport_socket?.typed_config).toEqual({ '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.raw_buffer.v3.RawBuffer' });
    expect((matches?.[0]?.transport_socket?.typed_config as { sni?: string }).sni).toBe('outbound_.9080_._.reviews.default.svc.cluster.local');
  });

  it('gateways get the same auto mTLS', () => {
    const gw = find(translate(bookinfoSnapshot(), GATEWAY_PROXY, MTLS), cluster('productpage'));
    expect(gw.transport_socket_matches?.map((m) => m.name)).toEqual(['tlsMode-istio', 'tlsMode-disabled']);
  });

  it('not with a DR tls DISABLE, a DISABLE namespace, or mTLS emission off', () => {
    const disable: DestinationRule = { apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: 'reviews', namespace: NS }, spec: { host: 'reviews', trafficPolicy: { tls: { mode: 'DISABLE' } } } };
    expect(matchesOf(bookinfoSnapshot({ destinationRules: [disable] }))).toBeUndefined();
    expect(matchesOf(bookinfoSnapshot({ peerAuthentications: [pa(NS, 'default', { mtls: { mode: 'DISABLE' } })] }))).toBeUndefined();
    expect(find(translate(bookinfoSnapshot(), proxy), cluster('reviews')).transport_socket_matches).toBeUndefined();
  });
});

describe('EDS endpoint metadata (mTLS emission on)', () => {
  const endpointsOf = (snapshot: MeshSnapshot, name = cluster('ratings')): LbEndpoint[] =>
    translate(snapshot, proxy, MTLS).endpoints.find((e) => e.cluster_name === name)?.endpoints?.[0]?.lb_endpoints ?? [];

  it('a sidecar endpoint carries tlsMode istio and the istio workload', () => {
    expect(endpointsOf(bookinfoSnapshot())[0]?.metadata).toEqual({
      filter_metadata: { 'envoy.transport_socket_match': { tlsMode: 'istio' }, istio: { workload: 'ratings-v1;default;ratings;v1;Kubernetes' } },
    });
  });

  it('an endpoint without a sidecar (or DISABLE by its own policy) carries no tlsMode: plaintext', () => {
    const noSidecar = WORKLOADS.map((w) => (w.labels['app'] === 'ratings' ? { ...w, sidecar: false } : w));
    expect(endpointsOf({ ...bookinfoSnapshot(), workloads: noSidecar })[0]?.metadata?.filter_metadata?.['envoy.transport_socket_match']).toBeUndefined();
    const disabled = pa(NS, 'ratings', { selector: { matchLabels: { app: 'ratings' } }, mtls: { mode: 'DISABLE' } });
    expect(endpointsOf(bookinfoSnapshot({ peerAuthentications: [disabled] }))[0]?.metadata?.filter_metadata?.['envoy.transport_socket_match']).toBeUndefined();
  });

  it('no metadata while mTLS emission is off', () => {
    const off = translate(bookinfoSnapshot(), proxy).endpoints.find((e) => e.cluster_name === cluster('ratings'));
    expect(off?.endpoints?.[0]?.lb_endpoints?.[0]?.metadata).toBeUndefined();
  });
});
