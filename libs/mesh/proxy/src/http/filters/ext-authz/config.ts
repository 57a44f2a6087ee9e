import { HTTP_STATUS_NAMES } from '@trellis/mesh-envoy';
import type { ExtAuthz, MetadataMatcher, Received, StringMatcher } from '@trellis/mesh-envoy';
import { KNOWN_TYPES, checkDuration, invalid } from '../../../config/proto';
import type { TypedConfig } from '../../../config/envoy-types';
import { compileStringMatcher } from '../../../routing/string-matcher';
import { type DynamicMetadata, type RbacConfigError, compileMetadataMatcher } from '@trellis/mesh-rbac';

/** Whether `filter_enabled_metadata` holds for an exchange's dynamic metadata. */
export type MetadataTest = (metadata: DynamicMetadata) => boolean;

/** filter_enabled_metadata, compiled by the RBAC engine's own metadata matcher (a bad one is a NACK). */
function enabledTest(resource: string, m: Received<MetadataMatcher>): MetadataTest {
  try {
    return compileMetadataMatcher(`${resource} filter_enabled_metadata`, m as MetadataMatcher);
  } catch (err) {
    throw invalid(resource, `filter_enabled_metadata: ${(err as RbacConfigError).reason ?? (err as Error).message}`);
  }
}

/**
 * envoy.extensions.filters.http.ext_authz.v3.ExtAuthz compiled once per HCM. What the proxy does not
 * do is NACKed naming the field: `with_request_body` (request bodies stream past the filters, see
 * http/filter.ts) and transport_api_version V2 (gone from Envoy since 1.18).
 */

/** A ListStringMatcher over header names: any pattern matches. */
export type NameTest = (name: string) => boolean;

export interface HttpServiceConfig {
  readonly pathPrefix: string;
  readonly headersToAdd: readonly (readonly [string, string])[];
  /** allowed_upstream_headers: unset = none of the authorizer's headers reach the upstream request. */
  readonly upstream: NameTest | undefined;
  /** allowed_client_headers: unset = every header but Host on a denial. */
  readonly client: NameTest;
  /** allowed_client_headers_on_success: unset = none. */
  readonly clientOnSuccess: NameTest | undefined;
}

export interface CompiledExtAuthz {
  readonly cluster: string;
  readonly timeoutMs: number;
  /** undefined = the gRPC service (`envoy.service.auth.v3.Authorization/Check`). */
  readonly http: HttpServiceConfig | undefined;
  /** gRPC `:authority` (envoy_grpc.authority, else the cluster name, as Envoy). */
  readonly authority: string;
  /** allowed_headers: which client request headers the check carries (unset: transport's default). */
  readonly allowedHeaders: NameTest | undefined;
  readonly failureModeAllow: boolean;
  readonly statusOnError: number;
  readonly enabled: MetadataTest | undefined;
  readonly statPrefix: string;
}

/** Envoy's default for both transports when no timeout is given. */
export const DEFAULT_TIMEOUT_MS = 200;

type List = Received<{ patterns?: StringMatcher[] }> | undefined;

function nameTest(resource: string, field: string, list: List): NameTest | undefined {
  const patterns = list?.patterns ?? [];
  if (patterns.length === 0) return undefined;
  const tests = patterns.map((p, i) => compileStringMatcher(`${resource} ${field}.patterns[${i}]`, p));
  return (name) => tests.some((t) => t(name));
}

/** Envoy: with allowed_client_headers set, Path, Status, Content-Length, WWW-Authenticate and Location are added to it. */
const CLIENT_DEFAULTS = new Set([':path', ':status', 'content-length', 'www-authenticate', 'location']);

function statusOf(resource: string, code: number | string | undefined): number {
  // Envoy answers 403 for an unset code or `Empty` (0).
  if (code === undefined || code === 0 || code === 'Empty') return 403;
  const n = typeof code === 'number' ? code : Number(Object.entries(HTTP_STATUS_NAMES).find(([, name]) => name === code)?.[0] ?? Number.NaN);
  if (!Number.isInteger(n) || HTTP_STATUS_NAMES[n] === undefined || n < 100) throw invalid(resource, `status_on_error code ${String(code)} is not a StatusCode`);
  return n;
}

function httpService(resource: string, s: NonNullable<Received<ExtAuthz['http_service']>>): HttpServiceConfig {
  const prefix = s.path_prefix ?? '';
  if (prefix !== '' && !prefix.startsWith('/')) throw invalid(resource, `http_service.path_prefix ${prefix} must start with /`);
  const resp = s.authorization_response;
  const client = nameTest(resource, 'allowed_client_headers', resp?.allowed_client_headers);
  return {
    pathPrefix: prefix,
    headersToAdd: (s.authorization_request?.headers_to_add ?? []).map((h) => [(h.key ?? '').toLowerCase(), h.value ?? ''] as const),
    upstream: nameTest(resource, 'allowed_upstream_headers', resp?.allowed_upstream_headers),
    client: client === undefined ? (name) => name !== 'host' && name !== ':authority' : (name) => CLIENT_DEFAULTS.has(name) || client(name),
    clientOnSuccess: nameTest(resource, 'allowed_client_headers_on_success', resp?.allowed_client_headers_on_success),
  };
}

function target(resource: string, c: Received<ExtAuthz>): Pick<CompiledExtAuthz, 'cluster' | 'timeoutMs' | 'http' | 'authority'> {
  if ((c.http_service === undefined) === (c.grpc_service === undefined)) throw invalid(resource, 'ext_authz needs exactly one of http_service, grpc_service');
  if (c.http_service !== undefined) {
    const uri = c.http_service.server_uri;
    const cluster = uri?.cluster;
    if (typeof cluster !== 'string' || cluster === '') throw invalid(resource, 'ext_authz http_service.server_uri.cluster missing');
    const timeoutMs = checkDuration(resource, 'http_service.server_uri.timeout', uri?.timeout) ?? DEFAULT_TIMEOUT_MS;
    return { cluster, timeoutMs, http: httpService(resource, c.http_service), authority: cluster };
  }
  const g = c.grpc_service;
  const cluster = g?.envoy_grpc?.cluster_name;
  if (typeof cluster !== 'string' || cluster === '') throw invalid(resource, 'ext_authz grpc_service.envoy_grpc.cluster_name missing (google_grpc is not supported)');
  const timeoutMs = checkDuration(resource, 'grpc_service.timeout', g?.timeout) ?? DEFAULT_TIMEOUT_MS;
  const authority = g?.envoy_grpc?.authority;
  return { cluster, timeoutMs, http: undefined, authority: typeof authority === 'string' && authority !== '' ? authority : cluster };
}

export function compileExtAuthz(resource: string, cfg: TypedConfig): CompiledExtAuthz {
  if (cfg['@type'] !== KNOWN_TYPES.extAuthz) throw invalid(resource, `unknown ext_authz typed_config ${String(cfg['@type'])}`);
  const c = cfg as Received<ExtAuthz>;
  if (c.transport_api_version === 'V2') throw invalid(resource, 'ext_authz transport_api_version V2 is not supported (V3 only)');
  if (c.with_request_body !== undefined) throw invalid(resource, 'ext_authz with_request_body is not supported (request bodies are not buffered for filters)');
  return {
    ...target(resource, c),
    allowedHeaders: nameTest(resource, 'allowed_headers', c.allowed_headers),
    failureModeAllow: c.failure_mode_allow === true,
    statusOnError: statusOf(resource, c.status_on_error?.code),
    enabled: c.filter_enabled_metadata === undefined ? undefined : enabledTest(resource, c.filter_enabled_metadata),
    statPrefix: c.stat_prefix ?? '',
  };
}
