import { packResource, unpackResource } from './codec';
import { TYPE_URLS } from './type-urls';
import { FAULT_TYPE, HCM_TYPE, HTTP_PROTOCOL_OPTIONS_TYPE, PREVIOUS_HOSTS_TYPE, ROUTER_TYPE } from '@trellis/mesh-envoy';
import { decodeDiscoveryRequest, encodeDiscoveryRequest } from './discovery';
import { messageType } from './root';

const HCM = HCM_TYPE;

const listener = {
  name: '0.0.0.0_9080',
  address: { socket_address: { address: '0.0.0.0', port_value: 9080 } },
  bind_to_port: { value: false },
  traffic_direction: 'OUTBOUND',
  filter_chains: [
    {
      filter_chain_match: { destination_port: { value: 9080 } },
      filters: [
        {
          name: 'envoy.filters.network.http_connection_manager',
          typed_config: {
            '@type': HCM,
            stat_prefix: 'outbound_0.0.0.0_9080',
            rds: { route_config_name: '9080', config_source: { ads: {}, resource_api_version: 'V3' } },
            http_filters: [
              { name: 'envoy.filters.http.fault', typed_config: { '@type': FAULT_TYPE } },
              { name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE } },
            ],
            generate_request_id: { value: true },
            max_request_headers_kb: { value: 60 },
          },
        },
      ],
    },
  ],
};

const route = {
  name: '9080',
  validate_clusters: { value: false },
  virtual_hosts: [
    {
      name: 'reviews.default.svc.cluster.local:9080',
      domains: ['reviews', 'reviews:9080'],
      routes: [
        {
          name: 'default',
          match: { prefix: '/', headers: [{ name: 'end-user', string_match: { exact: 'jason' } }] },
          route: {
            cluster: 'outbound|9080|v2|reviews.default.svc.cluster.local',
            timeout: { seconds: 0, nanos: 0 },
            retry_policy: {
              retry_on: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes',
              num_retries: { value: 2 },
              retriable_status_codes: [503],
              retry_host_predicate: [
                { name: 'envoy.retry_host_predicates.previous_hosts', typed_config: { '@type': PREVIOUS_HOSTS_TYPE } },
              ],
              host_selection_retry_max_attempts: 5,
            },
          },
          typed_per_filter_config: {
            'envoy.filters.http.fault': {
              '@type': FAULT_TYPE,
              delay: { fixed_delay: { seconds: 7, nanos: 0 }, percentage: { numerator: 100, denominator: 'HUNDRED' } },
              abort: { http_status: 500, percentage: { numerator: 50, denominator: 'MILLION' } },
            },
          },
          metadata: { filter_metadata: { istio: { config: '/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews' } } },
        },
      ],
    },
  ],
};

const cluster = {
  name: 'outbound|9080|v1|reviews.default.svc.cluster.local',
  type: 'EDS',
  eds_cluster_config: {
    eds_config: { ads: {}, resource_api_version: 'V3' },
    service_name: 'outbound|9080|v1|reviews.default.svc.cluster.local',
  },
  connect_timeout: { seconds: 10, nanos: 0 },
  lb_policy: 'LEAST_REQUEST',
  circuit_breakers: { thresholds: [{ priority: 'DEFAULT', max_connections: { value: 100 }, max_retries: { value: 3 } }] },
  typed_extension_protocol_options: {
    'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
      '@type': HTTP_PROTOCOL_OPTIONS_TYPE,
      common_http_protocol_options: { idle_timeout: { seconds: 3600, nanos: 0 }, max_requests_per_connection: { value: 1 } },
      explicit_http_config: { http_protocol_options: {} },
    },
  },
  metadata: {
    filter_metadata: {
      istio: { services: [{ host: 'reviews.default.svc.cluster.local', name: 'reviews', namespace: 'default' }], subset: 'v1' },
    },
  },
};

const endpoints = {
  cluster_name: cluster.name,
  endpoints: [
    {
      locality: { region: 'r1', zone: 'z1', sub_zone: '' },
      load_balancing_weight: { value: 3 },
      lb_endpoints: [
        {
          endpoint: { address: { socket_address: { address: '10.244.0.7', port_value: 9080 } } },
          health_status: 'HEALTHY',
          load_balancing_weight: { value: 1 },
        },
      ],
    },
  ],
};

describe('packResource / unpackResource', () => {
  it.each([
    ['LDS listener with HCM (RDS + http_filters)', TYPE_URLS.LDS, listener],
    ['RDS route with typed_per_filter_config fault and Struct metadata', TYPE_URLS.RDS, route],
    ['CDS cluster with typed_extension_protocol_options', TYPE_URLS.CDS, cluster],
    ['EDS assignment with locality weights', TYPE_URLS.EDS, endpoints],
  ])('round-trips a %s', (_name, typeUrl, resource) => {
    const any = packResource(typeUrl, resource);
    expect(any.type_url).toBe(typeUrl);
    expect(Buffer.isBuffer(any.value)).toBe(true);
    expect(unpackResource(any)).toMatchObject(resource);
  });

  it('really encodes nested Any (decoding with plain protobufjs sees the HCM bytes)', () => {
    const any = packResource(TYPE_URLS.LDS, listener);
    const type = messageType('envoy.config.listener.v3.Listener');
    const raw = type.toObject(type.decode(any.value)) as { filter_chains: { filters: { typed_config: { type_url: string; value: Uint8Array } }[] }[] };
    const typed = raw.filter_chains[0]!.filters[0]!.typed_config;
    expect(typed.type_url).toBe(HCM);
    expect(typed.value.length).toBeGreaterThan(20);
  });

  it('keeps wrapper defaults and fills singular enum defaults on decode', () => {
    const decoded = unpackResource(packResource(TYPE_URLS.LDS, { name: 'x', bind_to_port: { value: false } }));
    expect(decoded['bind_to_port']).toEqual({ value: false });
    expect(decoded['traffic_direction']).toBe('UNSPECIFIED');
    const c = unpackResource(packResource(TYPE_URLS.CDS, { name: 'c', type: 'STATIC' }));
    expect(c['lb_policy']).toBe('ROUND_ROBIN');
    expect(c['type']).toBe('STATIC');
  });

  it('accepts Duration strings', () => {
    const decoded = unpackResource(packResource(TYPE_URLS.CDS, { name: 'c', connect_timeout: '1.5s' }));
    expect(decoded['connect_timeout']).toEqual({ seconds: 1, nanos: 500_000_000 });
  });

  it('rejects unknown fields and unknown Any types with stable codes', () => {
    expect(() => packResource(TYPE_URLS.CDS, { name: 'c', lbPolicy: 'ROUND_ROBIN' })).toThrow(
      expect.objectContaining({ code: 'XDS_UNKNOWN_FIELD' }),
    );
    const bad = { name: 'l', filter_chains: [{ filters: [{ name: 'x', typed_config: { '@type': 'type.googleapis.com/no.such.Type' } }] }] };
    expect(() => packResource(TYPE_URLS.LDS, bad)).toThrow(expect.objectContaining({ code: 'XDS_UNKNOWN_TYPE' }));
    expect(() => packResource('type.googleapis.com/nope.Nope', {})).toThrow(expect.objectContaining({ code: 'XDS_UNKNOWN_TYPE' }));
  });

  it('reports undecodable bytes as XDS_DECODE_FAILED', () => {
    expect(() => unpackResource({ type_url: TYPE_URLS.CDS, value: Buffer.from([0x0a, 0xff]) })).toThrow(
      expect.objectContaining({ code: 'XDS_DECODE_FAILED' }),
    );
  });
});

describe('DiscoveryRequest encoding', () => {
  it('carries node metadata as JSON through a protobuf Struct', () => {
    const bytes = encodeDiscoveryRequest({
      node: { id: 'sidecar~1.2.3.4~a.default~default.svc.cluster.local', metadata: { LABELS: { app: 'reviews' }, N: 3, L: [true, null] } },
      type_url: TYPE_URLS.CDS,
      resource_names: ['a'],
      error_detail: { code: 3, message: 'bad' },
    });
    const back = decodeDiscoveryRequest(bytes);
    expect(back.node?.metadata).toEqual({ LABELS: { app: 'reviews' }, N: 3, L: [true, null] });
    expect(back.resource_names).toEqual(['a']);
    expect(back.error_detail).toMatchObject({ code: 3, message: 'bad' });
  });
});
