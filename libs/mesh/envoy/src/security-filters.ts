/**
 * The authorization and end-user authentication filters istiod writes (pilot/pkg/security/authz/builder,
 * pilot/pkg/security/authn): Envoy's RBAC (`envoy.config.rbac.v3`) as an HTTP filter and a network
 * filter, `jwt_authn`, and `ext_authz` (CUSTOM policies). One model, shared by translate, the proxy
 * and the CLI; field names as in the .proto files (snake_case).
 */
import type { Any, Duration, HeaderValue, Metadata, StringMatcher } from './core';
import type { CidrRange } from './listener';
import type { HeaderMatcher } from './route';
import type {
  EXT_AUTHZ_TYPE,
  JWT_AUTHN_PER_ROUTE_TYPE,
  NETWORK_EXT_AUTHZ_TYPE,
  JWT_AUTHN_TYPE,
  NETWORK_RBAC_TYPE,
  RBAC_PER_ROUTE_TYPE,
  RBAC_TYPE,
} from './type-urls';

/** envoy.type.matcher.v3.PathMatcher. */
export type PathMatcher = { path?: StringMatcher };

/** envoy.type.matcher.v3.ValueMatcher (the forms istiod emits). */
export type ValueMatcher = {
  null_match?: Record<string, never>;
  string_match?: StringMatcher;
  bool_match?: boolean;
  present_match?: boolean;
  list_match?: { one_of?: ValueMatcher };
  or_match?: { value_matchers?: ValueMatcher[] };
};

/**
 * envoy.type.matcher.v3.MetadataMatcher: the value at `path` of `filter`'s dynamic metadata
 * (istiod: `envoy.filters.http.jwt_authn` → `payload` → claim, for `request.auth.*`).
 */
export type MetadataMatcher = { filter?: string; path?: { key?: string }[]; value?: ValueMatcher; invert?: boolean };

/** envoy.config.rbac.v3.Permission: what a request/connection does. Exactly one field is set. */
export type Permission = {
  and_rules?: { rules?: Permission[] };
  or_rules?: { rules?: Permission[] };
  any?: boolean;
  header?: HeaderMatcher;
  url_path?: PathMatcher;
  destination_ip?: CidrRange;
  destination_port?: number;
  metadata?: MetadataMatcher;
  not_rule?: Permission;
  requested_server_name?: StringMatcher;
};

/** envoy.config.rbac.v3.Principal: who sends it. Exactly one field is set. */
export type Principal = {
  and_ids?: { ids?: Principal[] };
  or_ids?: { ids?: Principal[] };
  any?: boolean;
  /** The peer certificate's URI SAN (else its subject); absent matcher = any authenticated peer. */
  authenticated?: { principal_name?: StringMatcher };
  /** The connection's peer address (Istio `ipBlocks`). */
  direct_remote_ip?: CidrRange;
  /** The original client (x-forwarded-for with use_remote_address / xff_num_trusted_hops; Istio `remoteIpBlocks`). */
  remote_ip?: CidrRange;
  /** Deprecated alias of direct_remote_ip. */
  source_ip?: CidrRange;
  header?: HeaderMatcher;
  url_path?: PathMatcher;
  metadata?: MetadataMatcher;
  not_id?: Principal;
};

/** envoy.config.rbac.v3.Policy: matches when any permission and any principal match. */
export type RbacPolicy = { permissions?: Permission[]; principals?: Principal[] };

/** envoy.config.rbac.v3.RBAC.Action. */
export type RbacAction = 'ALLOW' | 'DENY' | 'LOG';

/** envoy.config.rbac.v3.RBAC: `action` applies when a policy matches (ALLOW: and only then). */
export type RbacRules = { action?: RbacAction; policies?: Record<string, RbacPolicy> };

/**
 * envoy.extensions.filters.http.rbac.v3.RBAC: `rules` enforced (absent = filter does nothing),
 * `shadow_rules` only evaluated and counted (`shadow_allowed`/`shadow_denied`, Istio's AUDIT and dry-run).
 * Stats are `http.<hcm stat_prefix>.rbac.{allowed,denied,shadow_allowed,shadow_denied}` (with the
 * rules' `<stat_prefix>` before `rbac.`… Envoy: `<rules_stat_prefix>rbac.`).
 */
export type HttpRbac = {
  '@type': typeof RBAC_TYPE;
  rules?: RbacRules;
  shadow_rules?: RbacRules;
  shadow_rules_stat_prefix?: string;
  rules_stat_prefix?: string;
};

/** envoy.extensions.filters.http.rbac.v3.RBACPerRoute (empty `rbac` disables the filter on the route). */
export type HttpRbacPerRoute = { '@type': typeof RBAC_PER_ROUTE_TYPE; rbac?: Omit<HttpRbac, '@type'> };

/** envoy.extensions.filters.network.rbac.v3.RBAC: for a denied connection, closes it (`stat_prefix` required). */
export type NetworkRbac = {
  '@type': typeof NETWORK_RBAC_TYPE;
  stat_prefix?: string;
  rules?: RbacRules;
  shadow_rules?: RbacRules;
  shadow_rules_stat_prefix?: string;
  enforcement_type?: 'ONE_TIME_ON_FIRST_BYTE' | 'CONTINUOUS';
};

// ── jwt_authn (envoy.extensions.filters.http.jwt_authn.v3) ──────────────────────

/** JwtHeader: where a token is read (`value_prefix` e.g. `Bearer `). */
export type JwtHeader = { name?: string; value_prefix?: string };

/** RemoteJwks: a JWKS URI (istiod inlines fetched keys instead; see local_jwks). */
export type RemoteJwks = { http_uri?: { uri?: string; cluster?: string; timeout?: Duration }; cache_duration?: Duration };

/** JwtProvider: one issuer. istiod sets `local_jwks.inline_string` (keys it fetched) and `payload_in_metadata: "payload"`. */
export type JwtProvider = {
  issuer?: string;
  audiences?: string[];
  remote_jwks?: RemoteJwks;
  local_jwks?: { inline_string?: string };
  forward?: boolean;
  from_headers?: JwtHeader[];
  from_params?: string[];
  from_cookies?: string[];
  forward_payload_header?: string;
  /** Dynamic metadata key (under `envoy.filters.http.jwt_authn`) the verified payload is written to. */
  payload_in_metadata?: string;
  claim_to_headers?: { header_name?: string; claim_name?: string }[];
  clock_skew_seconds?: number;
  /** istiod: `space_delimited_claims` ["permission", "scope", …] (split into lists in the metadata payload). */
  normalize_payload_in_metadata?: { space_delimited_claims?: string[] };
  /** istiod sets it on gateways (routes may match on claims after verification). */
  clear_route_cache?: boolean;
};

/** JwtRequirement: a provider, any of several (`requires_any`), all of (`requires_all`), or "allow missing or failed". */
export type JwtRequirement = {
  provider_name?: string;
  requires_any?: { requirements?: JwtRequirement[] };
  requires_all?: { requirements?: JwtRequirement[] };
  allow_missing_or_failed?: Record<string, never>;
  allow_missing?: Record<string, never>;
};

/**
 * envoy.extensions.filters.http.jwt_authn.v3.JwtAuthentication. istiod writes one `requirement_map`
 * entry, `use_requirement_map` unused, and the same requirement in `rules` (`match.prefix: /`):
 * requires_any [each provider, allow_missing] — so a missing token passes (authorization decides)
 * and an invalid one fails with 401.
 */
export type JwtAuthentication = {
  '@type': typeof JWT_AUTHN_TYPE;
  providers?: Record<string, JwtProvider>;
  rules?: { match?: { prefix?: string; path?: string }; requires?: JwtRequirement }[];
  requirement_map?: Record<string, JwtRequirement>;
  bypass_cors_preflight?: boolean;
};

/** PerRouteConfig: `disabled` or a `requirement_name` from requirement_map. */
export type JwtAuthnPerRoute = { '@type': typeof JWT_AUTHN_PER_ROUTE_TYPE; disabled?: boolean; requirement_name?: string };

// ── ext_authz (envoy.extensions.filters.http.ext_authz.v3) ──────────────────────

/** HttpService: the authorizer over HTTP (`path_prefix` + the original path; headers chosen below). */
export type ExtAuthzHttpService = {
  server_uri?: { uri?: string; cluster?: string; timeout?: Duration };
  path_prefix?: string;
  authorization_request?: { headers_to_add?: HeaderValue[]; allowed_headers?: { patterns?: StringMatcher[] } };
  authorization_response?: {
    allowed_upstream_headers?: { patterns?: StringMatcher[] };
    allowed_client_headers?: { patterns?: StringMatcher[] };
    allowed_client_headers_on_success?: { patterns?: StringMatcher[] };
  };
};

/** GrpcService (the Envoy-gRPC form: a cluster). */
export type GrpcService = { envoy_grpc?: { cluster_name?: string; authority?: string }; timeout?: Duration };

/**
 * envoy.extensions.filters.http.ext_authz.v3.ExtAuthz: ask `http_service` or `grpc_service`
 * (envoy.service.auth.v3.Authorization/Check) before the request goes on. `failure_mode_allow`
 * false: an unreachable authorizer → 403 (`status_on_error`). `filter_enabled_metadata` lets
 * istiod scope one provider to the CUSTOM policies' rules (RBAC in shadow writes
 * `envoy.filters.http.rbac` → `istio_ext_authz_shadow_effective_policy_id`).
 */
export type ExtAuthz = {
  '@type': typeof EXT_AUTHZ_TYPE;
  http_service?: ExtAuthzHttpService;
  grpc_service?: GrpcService;
  transport_api_version?: 'AUTO' | 'V2' | 'V3';
  failure_mode_allow?: boolean;
  /** envoy.type.v3.HttpStatus: `code` is a StatusCode (number, or its name as decoded: `Forbidden`; HTTP_STATUS_NAMES). */
  status_on_error?: { code?: number | string };
  with_request_body?: { max_request_bytes?: number; allow_partial_message?: boolean; pack_as_bytes?: boolean };
  include_peer_certificate?: boolean;
  filter_enabled_metadata?: MetadataMatcher;
  stat_prefix?: string;
  /**
   * The client request headers sent in the check (istiod: includeRequestHeadersInCheck). Unset: all to
   * a gRPC authorizer, none to an HTTP one (besides Host, Method, Path, Content-Length, Authorization).
   */
  allowed_headers?: { patterns?: StringMatcher[] };
};

/**
 * envoy.extensions.filters.network.ext_authz.v3.ExtAuthz: a connection is checked over gRPC once and
 * closed when denied (istiod: CUSTOM policies with a gRPC provider, on TCP chains; `stat_prefix: tcp.`).
 */
export type NetworkExtAuthz = {
  '@type': typeof NETWORK_EXT_AUTHZ_TYPE;
  stat_prefix?: string;
  grpc_service?: GrpcService;
  failure_mode_allow?: boolean;
  transport_api_version?: 'AUTO' | 'V2' | 'V3';
  filter_enabled_metadata?: MetadataMatcher;
};

/** A typed_config of one of the above, as it travels in `http_filters` / `filters`. */
export type SecurityFilterConfig = HttpRbac | NetworkRbac | JwtAuthentication | ExtAuthz | NetworkExtAuthz;

/** Re-exported for readers that build RBAC from route metadata. */
export type { Any, Metadata };
