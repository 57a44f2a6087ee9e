/**
 * Global rate limiting: the `envoy.filters.http.ratelimit` filter config and the route/virtual-host
 * `rate_limits` whose actions build the descriptors it sends to the rate limit service (RLS).
 */
import type { BoolValue, Duration } from './core';
import type { HeaderMatcher } from './route';
import type { RATE_LIMIT_TYPE } from './type-urls';

/** envoy.extensions.filters.http.ratelimit.v3.RateLimit. */
export type RateLimitFilter = {
  '@type': typeof RATE_LIMIT_TYPE;
  domain?: string;
  stage?: number;
  request_type?: 'internal' | 'external' | 'both';
  /** The RLS call's deadline (Envoy: 20 ms when unset). */
  timeout?: Duration;
  /** true: an RLS error answers 500 (RLSE); false (default): the request goes on. */
  failure_mode_deny?: boolean;
  rate_limited_as_resource_exhausted?: boolean;
  stat_prefix?: string;
  rate_limit_service?: {
    grpc_service?: { envoy_grpc?: { cluster_name?: string; authority?: string }; timeout?: Duration };
    transport_api_version?: 'AUTO' | 'V2' | 'V3';
  };
};

/** envoy.config.route.v3.RateLimit.Action: one descriptor entry each. */
export type RateLimitAction = {
  request_headers?: { header_name?: string; descriptor_key?: string; skip_if_absent?: boolean };
  remote_address?: Record<string, never>;
  generic_key?: { descriptor_value?: string; descriptor_key?: string };
  header_value_match?: { descriptor_value?: string; descriptor_key?: string; expect_match?: BoolValue; headers?: HeaderMatcher[] };
  destination_cluster?: Record<string, never>;
};

/** envoy.config.route.v3.RateLimit: one descriptor from its actions, for the filter of the same `stage`. */
export type RouteRateLimit = { stage?: number; disable_key?: string; actions?: RateLimitAction[] };
