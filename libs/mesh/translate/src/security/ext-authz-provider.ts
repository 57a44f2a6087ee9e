import type { EnvoyExtAuthzGrpcProvider, EnvoyExtAuthzHttpProvider, ExtensionProvider } from '@trellis/mesh-api';
import {
  EXT_AUTHZ_TYPE,
  HTTP_STATUS_NAMES,
  NETWORK_EXT_AUTHZ_TYPE,
  RBAC_FILTER_NAME,
  NETWORK_RBAC_FILTER_NAME,
  type Duration,
  type ExtAuthz,
  type ExtAuthzHttpService,
  type GrpcService,
  type MetadataMatcher,
  type NetworkExtAuthz,
  type StringMatcher,
} from '@trellis/mesh-envoy';
import type { TranslateContext } from '../context';
import { toDuration } from '../durations';

/**
 * MeshConfig `extensionProviders` → the ext_authz configs of each (istiod's processExtensionProvider,
 * buildExtAuthzHTTP / buildExtAuthzGRPC in pilot/pkg/security/authz/builder/extauthz.go). A provider
 * with any error is kept with its errors: a CUSTOM policy naming it denies instead (ext-authz.ts).
 */

export interface BuiltProvider {
  readonly http: ExtAuthz;
  /** Only gRPC providers have a network filter (the network ext_authz speaks gRPC only). */
  readonly tcp: NetworkExtAuthz | undefined;
}

export type ProviderResult = { readonly ok: BuiltProvider } | { readonly errors: readonly string[] };

/** The dynamic-metadata key the shadow RBAC writes (istiod RBACExtAuthzShadowRulesStatPrefix + RBACShadowEffectivePolicyID). */
export const EXT_AUTHZ_SHADOW_STAT_PREFIX = 'istio_ext_authz_';
export const EXT_AUTHZ_MATCH_PREFIX = 'istio-ext-authz';
const DEFAULT_TIMEOUT: Duration = { seconds: 600, nanos: 0 };

/** istiod's generateFilterMatcherForProvider: the shadow RBAC marked one of this provider's rules. */
export function providerMatcher(filter: typeof RBAC_FILTER_NAME | typeof NETWORK_RBAC_FILTER_NAME, provider: string): MetadataMatcher {
  return {
    filter,
    path: [{ key: `${EXT_AUTHZ_SHADOW_STAT_PREFIX}shadow_effective_policy_id` }],
    value: { string_match: { prefix: `${EXT_AUTHZ_MATCH_PREFIX}-${provider}` } },
  };
}

function providerNameErrors(name: string): string[] {
  if (name === '') return ['extension provider name must not be empty'];
  if (name.length > 63) return [`invalid provider name "${name}": provider name too long (max 63 characters): ${name.length}`];
  if (!/^[a-z0-9-]+$/.test(name)) return [`invalid provider name "${name}": only lowercase letters, digits, and hyphens allowed`];
  if (name.startsWith('-') || name.endsWith('-')) return [`invalid provider name "${name}": provider name cannot start or end with hyphen`];
  return [];
}

/** istiod's LookupCluster: `<ns>/<host>` or a host in exactly one namespace → `outbound|<port>||<host>`. */
function lookupCluster(ctx: TranslateContext, service: string, port: number, errors: string[]): string {
  const slash = service.split('/');
  const [ns, host] = slash.length === 2 ? [slash[0], slash[1]] : [undefined, service];
  const found = ctx.snapshot.services.filter((s) => s.hostname === host && (ns === undefined || s.namespace === ns));
  const namespaces = [...new Set(found.map((s) => s.namespace))];
  const entries = ctx.services.filter((s) => s.hostname === host && !s.kubernetes && (ns === undefined || s.namespace === ns));
  if (namespaces.length > 1 && ns === undefined) errors.push(`found ${service} in multiple namespaces [${namespaces.join(' ')}], specify the namespace explicitly in the format of <Namespace>/<Hostname>`);
  else if (found.length === 0 && entries.length === 0) errors.push(`could not find service ${service} in Istio service registry`);
  return `outbound|${port}||${host ?? ''}`;
}

function statusOnError(status: string | undefined, errors: string[]): { code: string } | undefined {
  if (status === undefined || status === '') return undefined;
  const name = /^-?\d+$/.test(status) ? HTTP_STATUS_NAMES[Number(status)] : undefined;
  if (name === undefined) errors.push(`unsupported statusOnError ${status}`);
  return name === undefined ? undefined : { code: name };
}

/** istiod's generateHeaders: `*x` suffix, `x*` prefix, else exact; all ignore_case. */
function headerList(headers: readonly string[] | undefined): { patterns: StringMatcher[] } | undefined {
  if (headers === undefined || headers.length === 0) return undefined;
  const patterns = headers.map((h): StringMatcher => {
    if (h.startsWith('*')) return { suffix: h.slice(1), ignore_case: true };
    if (h.endsWith('*')) return { prefix: h.slice(0, -1), ignore_case: true };
    return { exact: h, ignore_case: true };
  });
  return { patterns };
}

function withBody(b: EnvoyExtAuthzGrpcProvider['includeRequestBodyInCheck']): ExtAuthz['with_request_body'] {
  if (b === undefined) return undefined;
  return {
    ...(b.maxRequestBytes !== undefined && { max_request_bytes: b.maxRequestBytes }),
    ...(b.allowPartialMessage === true && { allow_partial_message: true }),
    ...(b.packAsBytes === true && { pack_as_bytes: true }),
  };
}

function checkCommon(p: EnvoyExtAuthzHttpProvider | EnvoyExtAuthzGrpcProvider, errors: string[]): void {
  if (!(Number.isInteger(p.port) && p.port >= 1 && p.port <= 65535)) errors.push(`port must be in the range [1, 65535], found: ${p.port}`);
  if (p.timeout !== undefined && toDuration(p.timeout) === undefined) errors.push(`invalid timeout ${p.timeout}`);
  // Trellis's proxy does not buffer request bodies for ext_authz (it would NACK with_request_body and keep
  // the whole listener stale): such a provider is treated as invalid, so its CUSTOM rules deny (fail closed).
  if (p.includeRequestBodyInCheck !== undefined) errors.push('includeRequestBodyInCheck is not supported by the Trellis proxy');
}

function httpService(p: EnvoyExtAuthzHttpProvider, host: string, cluster: string): ExtAuthzHttpService {
  const add = Object.keys(p.includeAdditionalHeadersInCheck ?? {}).sort().map((key) => ({ key, value: p.includeAdditionalHeadersInCheck?.[key] ?? '' }));
  const answered = [p.headersToUpstreamOnAllow, p.headersToDownstreamOnDeny, p.headersToDownstreamOnAllow].some((l) => (l?.length ?? 0) > 0);
  const upstream = headerList(p.headersToUpstreamOnAllow);
  const client = headerList(p.headersToDownstreamOnDeny);
  const onSuccess = headerList(p.headersToDownstreamOnAllow);
  return {
    ...(p.pathPrefix !== undefined && p.pathPrefix !== '' && { path_prefix: p.pathPrefix }),
    server_uri: { uri: `http://${host}`, cluster, timeout: toDuration(p.timeout) ?? DEFAULT_TIMEOUT },
    ...(add.length > 0 && { authorization_request: { headers_to_add: add } }),
    ...(answered && {
      authorization_response: {
        ...(upstream && { allowed_upstream_headers: upstream }),
        ...(client && { allowed_client_headers: client }),
        ...(onSuccess && { allowed_client_headers_on_success: onSuccess }),
      },
    }),
  };
}

function buildHttp(ctx: TranslateContext, name: string, p: EnvoyExtAuthzHttpProvider, errors: string[]): BuiltProvider {
  checkCommon(p, errors);
  const cluster = lookupCluster(ctx, p.service, p.port, errors);
  const status = statusOnError(p.statusOnError, errors);
  if (p.pathPrefix !== undefined && p.pathPrefix !== '' && !p.pathPrefix.startsWith('/')) errors.push(`pathPrefix must begin with \`/\`, found: "${p.pathPrefix}"`);
  const deprecated = p.includeHeadersInCheck;
  const lists: [string, string[] | undefined][] = [
    ['IncludeRequestHeadersInCheck', p.includeRequestHeadersInCheck],
    ['IncludeHeadersInCheck', deprecated],
    ['HeadersToDownstreamOnDeny', p.headersToDownstreamOnDeny],
    ['HeadersToDownstreamOnAllow', p.headersToDownstreamOnAllow],
    ['HeadersToUpstreamOnAllow', p.headersToUpstreamOnAllow],
  ];
  for (const [field, l] of lists) if (l?.includes('*')) errors.push(`a single wildcard ("*") is not supported, change it to either prefix or suffix match: ${field}`);
  const host = cluster.slice(cluster.lastIndexOf('|') + 1);
  const allowed = headerList(p.includeRequestHeadersInCheck) ?? headerList(deprecated);
  const body = withBody(p.includeRequestBodyInCheck);
  const http: ExtAuthz = {
    '@type': EXT_AUTHZ_TYPE,
    ...(status && { status_on_error: status }),
    ...(p.failOpen === true && { failure_mode_allow: true }),
    transport_api_version: 'V3',
    http_service: httpService(p, host, cluster),
    filter_enabled_metadata: providerMatcher(RBAC_FILTER_NAME, name),
    ...(body && { with_request_body: body }),
    ...(allowed && { allowed_headers: allowed }),
  };
  return { http, tcp: undefined };
}

function buildGrpc(ctx: TranslateContext, name: string, p: EnvoyExtAuthzGrpcProvider, errors: string[]): BuiltProvider {
  checkCommon(p, errors);
  const cluster = lookupCluster(ctx, p.service, p.port, errors);
  const status = statusOnError(p.statusOnError, errors);
  const host = cluster.slice(cluster.lastIndexOf('|') + 1);
  const grpc: GrpcService = { envoy_grpc: { cluster_name: cluster, authority: host }, timeout: toDuration(p.timeout) ?? DEFAULT_TIMEOUT };
  const body = withBody(p.includeRequestBodyInCheck);
  const failOpen = p.failOpen === true ? { failure_mode_allow: true } : {};
  return {
    http: { '@type': EXT_AUTHZ_TYPE, ...(status && { status_on_error: status }), ...failOpen, grpc_service: grpc, filter_enabled_metadata: providerMatcher(RBAC_FILTER_NAME, name), transport_api_version: 'V3', ...(body && { with_request_body: body }) },
    tcp: { '@type': NETWORK_EXT_AUTHZ_TYPE, stat_prefix: 'tcp.', ...failOpen, transport_api_version: 'V3', grpc_service: grpc, filter_enabled_metadata: providerMatcher(NETWORK_RBAC_FILTER_NAME, name) },
  };
}

function resolveOne(ctx: TranslateContext, p: ExtensionProvider, seen: ReadonlySet<string>, i: number): ProviderResult | undefined {
  if (p.envoyExtAuthzHttp === undefined && p.envoyExtAuthzGrpc === undefined) return undefined;
  const errors = p.name === '' ? [`extension provider name must not be empty, found empty at index: ${i}`] : providerNameErrors(p.name);
  if (seen.has(p.name)) errors.push(`extension provider name must be unique, found duplicate: ${p.name}`);
  const built = p.envoyExtAuthzHttp !== undefined ? buildHttp(ctx, p.name, p.envoyExtAuthzHttp, errors) : buildGrpc(ctx, p.name, p.envoyExtAuthzGrpc as EnvoyExtAuthzGrpcProvider, errors);
  return errors.length > 0 ? { errors } : { ok: built };
}

/** Every ext_authz provider of the mesh config by name (later duplicates replace earlier ones, with an error). */
export function resolveExtAuthzProviders(ctx: TranslateContext): ReadonlyMap<string, ProviderResult> {
  const out = new Map<string, ProviderResult>();
  (ctx.snapshot.meshConfig?.extensionProviders ?? []).forEach((p, i) => {
    const r = resolveOne(ctx, p, new Set(out.keys()), i);
    if (r !== undefined) out.set(p.name, r);
  });
  return out;
}
