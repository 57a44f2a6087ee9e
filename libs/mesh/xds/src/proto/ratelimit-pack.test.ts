import { CLUSTER_TYPE, HCM_TYPE, RATE_LIMIT_TYPE, ROUTE_CONFIGURATION_TYPE, UDPA_TYPED_STRUCT_TYPE } from '@trellis/mesh-envoy';
import { packResource } from './codec';
import { decodeAnyValue } from './wire-decode';

/**
 * What Istio's rate-limit EnvoyFilters add (translate/envoy-filter*.ts) is encodable and reaches the
 * proxy's lean decoder intact: the ratelimit filter, the RLS cluster with the deprecated
 * http2_protocol_options, a virtual host's rate_limits, a TypedStruct local_ratelimit.
 */
const roundTrip = (typeUrl: string, o: Record<string, unknown>): Record<string, unknown> => decodeAnyValue(typeUrl, packResource(typeUrl, o).value);

describe('rate limit config on the wire', () => {
  it('HCM with ratelimit + TypedStruct local_ratelimit filters', () => {
    const hcm = {
      stat_prefix: 'x',
      rds: { route_config_name: 'http.8080' },
      http_filters: [
        { name: 'envoy.filters.http.local_ratelimit', typed_config: { '@type': UDPA_TYPED_STRUCT_TYPE, type_url: 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit', value: { stat_prefix: 'l', token_bucket: { max_tokens: 10, tokens_per_fill: 10, fill_interval: '60s' } } } },
        { name: 'envoy.filters.http.ratelimit', typed_config: { '@type': RATE_LIMIT_TYPE, domain: 'productpage-ratelimit', failure_mode_deny: true, timeout: '10s', rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: 'rate_limit_cluster' } }, transport_api_version: 'V3' } } },
      ],
    };
    const got = roundTrip(HCM_TYPE, hcm) as { http_filters: { typed_config: Record<string, unknown> }[] };
    expect(got.http_filters[0]?.typed_config).toMatchObject({ '@type': UDPA_TYPED_STRUCT_TYPE, value: { token_bucket: { max_tokens: 10, tokens_per_fill: 10, fill_interval: '60s' } } });
    expect(got.http_filters[1]?.typed_config).toMatchObject({ '@type': RATE_LIMIT_TYPE, domain: 'productpage-ratelimit', failure_mode_deny: true, timeout: { seconds: 10 }, rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: 'rate_limit_cluster' } }, transport_api_version: 'V3' } });
  });

  it('the RLS cluster and a virtual host with rate_limits', () => {
    const cluster = roundTrip(CLUSTER_TYPE, { name: 'rate_limit_cluster', type: 'STRICT_DNS', connect_timeout: '10s', lb_policy: 'ROUND_ROBIN', http2_protocol_options: {}, load_assignment: { cluster_name: 'rate_limit_cluster', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'ratelimit.default.svc.cluster.local', port_value: 8081 } } } }] }] } });
    expect(cluster).toMatchObject({ type: 'STRICT_DNS', http2_protocol_options: {} });
    const actions = [{ request_headers: { header_name: ':path', descriptor_key: 'PATH' } }, { header_value_match: { descriptor_value: 'pp', expect_match: { value: true }, headers: [{ name: ':path', string_match: { prefix: '/p' } }] } }, { remote_address: {} }, { generic_key: { descriptor_value: 'g' } }];
    const rc = roundTrip(ROUTE_CONFIGURATION_TYPE, { name: 'http.8080', virtual_hosts: [{ name: '*:8080', domains: ['*'], rate_limits: [{ actions }] }] }) as { virtual_hosts: { rate_limits: unknown[] }[] };
    expect(rc.virtual_hosts[0]?.rate_limits).toMatchObject([{ actions }]);
  });
});
