import { S, type Shape } from './shape';

/** Type URLs of the messages EnvoyFilter patches may carry in Trellis. */
export const LOCAL_RATE_LIMIT_URL = 'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
export const RATE_LIMIT_URL = 'type.googleapis.com/envoy.extensions.filters.http.ratelimit.v3.RateLimit';
export const TYPED_STRUCT_URLS: readonly string[] = ['type.googleapis.com/udpa.type.v1.TypedStruct', 'type.googleapis.com/xds.type.v3.TypedStruct'];
export const HCM_FILTER_NAME = 'envoy.filters.network.http_connection_manager';

const headerValueOption = S.message({
  header: S.message({ key: S.string, value: S.string }, ['key']),
  append: S.boolValue,
  append_action: S.enumOf('APPEND_IF_EXISTS_OR_ADD', 'ADD_IF_ABSENT', 'OVERWRITE_IF_EXISTS_OR_ADD', 'OVERWRITE_IF_EXISTS'),
});
const runtimeFraction = S.message({
  runtime_key: S.string,
  default_value: S.message({ numerator: S.number, denominator: S.enumOf('HUNDRED', 'TEN_THOUSAND', 'MILLION') }),
});

const tokenBucket = S.message({ max_tokens: S.number, tokens_per_fill: S.uint32Value, fill_interval: S.duration }, ['max_tokens', 'fill_interval']);

/** envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit, with per-descriptor buckets (vh_rate_limits: OVERRIDE only). */
export const LOCAL_RATE_LIMIT: Shape = S.message(
  {
    stat_prefix: S.string,
    status: S.message({ code: S.string }),
    token_bucket: tokenBucket,
    descriptors: S.list(S.message({ entries: S.list(S.message({ key: S.string, value: S.string }, ['key', 'value'])), token_bucket: tokenBucket }, ['entries', 'token_bucket'])),
    stage: S.number,
    enable_x_ratelimit_headers: S.enumOf('OFF', 'DRAFT_VERSION_03'),
    vh_rate_limits: S.enumOf('OVERRIDE'),
    filter_enabled: runtimeFraction,
    filter_enforced: runtimeFraction,
    request_headers_to_add_when_not_enforced: S.list(headerValueOption),
    response_headers_to_add: S.list(headerValueOption),
  },
  ['stat_prefix'],
);

/** envoy.extensions.filters.http.ratelimit.v3.RateLimit: the global rate limit client (RLS over gRPC). */
export const RATE_LIMIT: Shape = S.message(
  {
    domain: S.string,
    stage: S.number,
    request_type: S.enumOf('internal', 'external', 'both'),
    timeout: S.duration,
    failure_mode_deny: S.bool,
    rate_limited_as_resource_exhausted: S.bool,
    stat_prefix: S.string,
    rate_limit_service: S.message(
      {
        grpc_service: S.message({ envoy_grpc: S.message({ cluster_name: S.string, authority: S.string }, ['cluster_name']), timeout: S.duration }, ['envoy_grpc']),
        transport_api_version: S.enumOf('AUTO', 'V3'),
      },
      ['grpc_service'],
    ),
  },
  ['domain', 'rate_limit_service'],
);

export const HTTP_FILTER_CONFIGS: Readonly<Record<string, Shape>> = { [LOCAL_RATE_LIMIT_URL]: LOCAL_RATE_LIMIT, [RATE_LIMIT_URL]: RATE_LIMIT };

/** An HCM http_filters entry. */
export const HTTP_FILTER: Shape = S.message({ name: S.string, typed_config: S.any(HTTP_FILTER_CONFIGS) });

const headerMatcher = S.message(
  {
    name: S.string,
    exact_match: S.string,
    prefix_match: S.string,
    suffix_match: S.string,
    contains_match: S.string,
    present_match: S.bool,
    invert_match: S.bool,
    string_match: S.message({ exact: S.string, prefix: S.string, suffix: S.string, contains: S.string, ignore_case: S.bool }),
  },
  ['name'],
);

/** envoy.config.route.v3.RateLimit.Action: the actions Istio's rate-limit task uses. */
const action = S.message({
  request_headers: S.message({ header_name: S.string, descriptor_key: S.string, skip_if_absent: S.bool }, ['header_name', 'descriptor_key']),
  remote_address: S.empty,
  generic_key: S.message({ descriptor_value: S.string, descriptor_key: S.string }, ['descriptor_value']),
  header_value_match: S.message({ descriptor_value: S.string, descriptor_key: S.string, expect_match: S.boolValue, headers: S.list(headerMatcher) }, ['descriptor_value', 'headers']),
  destination_cluster: S.empty,
});

export const RATE_LIMITS: Shape = S.list(S.message({ stage: S.number, disable_key: S.string, actions: S.list(action) }, ['actions']));

/** typed_per_filter_config: filter name → its config (the local rate limit's per-route bucket). */
const perFilter = S.map(S.any({ [LOCAL_RATE_LIMIT_URL]: LOCAL_RATE_LIMIT }));

export const VIRTUAL_HOST_MERGE: Shape = S.message({ rate_limits: RATE_LIMITS, typed_per_filter_config: perFilter });
export const HTTP_ROUTE_MERGE: Shape = S.message({ route: S.message({ rate_limits: RATE_LIMITS }), typed_per_filter_config: perFilter });

const socketAddress = S.message({ address: S.string, port_value: S.number, protocol: S.enumOf('TCP') }, ['address', 'port_value']);

/** A cluster of its own (the rate limit service's): static or DNS-resolved addresses. */
export const CLUSTER: Shape = S.message(
  {
    name: S.string,
    type: S.enumOf('STATIC', 'STRICT_DNS', 'LOGICAL_DNS'),
    connect_timeout: S.duration,
    lb_policy: S.enumOf('ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM'),
    http2_protocol_options: S.message({}),
    load_assignment: S.message(
      { cluster_name: S.string, endpoints: S.list(S.message({ lb_endpoints: S.list(S.message({ endpoint: S.message({ address: S.message({ socket_address: socketAddress }, ['socket_address']) }, ['address']) })) })) },
      ['endpoints'],
    ),
  },
  ['name', 'load_assignment'],
);
