import { parseIpPrefix } from '../authz/ip-prefix';

/**
 * Istio's value checks for AuthorizationPolicy (pkg/config/security/security.go): each returns the
 * messages istiod's webhook would, `[]` when the values are fine.
 */

export function checkEmptyValues(field: string, values: readonly string[] | undefined): string[] {
  return (values ?? []).some((v) => v === '') ? [`empty value not allowed, found in ${field}`] : [];
}

/** ValidateIPs: an address or a CIDR, as Go's netip parses them. */
export function checkIps(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => (parseIpPrefix(v) !== undefined ? [] : v.includes('/') ? [`bad CIDR range (${v})`] : [`bad IP address (${v})`]));
}

/** ValidatePorts: a decimal in 0..65535. */
export function checkPorts(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => (/^[0-9]+$/.test(v) && Number(v) <= 65535 ? [] : [`bad port (${v})`]));
}

/** CheckServiceAccount: `sa` or `ns/sa`, no wildcard, at most 16 values of at most 320 characters. */
export function checkServiceAccounts(field: string, values: readonly string[] | undefined): string[] {
  const vs = values ?? [];
  if (vs.length > 16) return ['may not have more than 16 values'];
  for (const v of vs) {
    if (v === '') return [`empty value not allowed, found in ${field}`];
    if (v.includes('*')) return [`wildcard not allowed, found in ${field}`];
    const slashes = v.split('/').length - 1;
    if (slashes > 1) return [`expected format 'serviceAccount' or 'namespace/serviceAccount', found ${JSON.stringify(v)} in ${field}`];
    if (v.length > 320) return [`value cannot exceed 320 characters, found ${JSON.stringify(v)} in ${field}`];
    const [ns = '', sa = ''] = v.split('/');
    if (slashes === 1 && ns === '') return [`expected format 'serviceAccount' or 'namespace/serviceAccount', found empty namespace ${JSON.stringify(v)} in ${field}`];
    if (slashes === 1 && sa === '') return [`expected format 'serviceAccount' or 'namespace/serviceAccount', found empty serviceAccount ${JSON.stringify(v)} in ${field}`];
  }
  return [];
}

/** CheckWildcardValues: non-empty, at most one `*`, only at the start or the end. */
export function checkWildcardValues(field: string, values: readonly string[] | undefined): string[] {
  for (const v of values ?? []) {
    if (v === '') return [`empty value not allowed, found in ${field}`];
    const count = v.split('*').length - 1;
    if (count > 1) return [`at most one wildcard is allowed, found in ${field}: ${JSON.stringify(v)}`];
    if (count === 1 && v !== '*' && !v.startsWith('*') && !v.endsWith('*')) return [`wildcard is only allowed at the start or end, found in ${field}: ${JSON.stringify(v)}`];
  }
  return [];
}

const VALID_LITERAL = /^[a-zA-Z0-9\-._~%!$&'()+,;:@=]+$/;

/** CheckValidPathTemplate: `{*}` segments, `{**}` only last, no other braces, RFC 3986 pchars in templated paths. */
export function checkPathTemplates(field: string, paths: readonly string[] | undefined): string[] {
  for (const original of paths ?? []) {
    const templated = original.includes('{*}') || original.includes('{**}');
    const path = original.replace(/^\/+|\/+$/g, '');
    let anySeen = false;
    for (const glob of path.split('/')) {
      if ((glob === '{*}' || glob === '{**}') && anySeen) return [`invalid or unsupported path ${path}, found in ${field}. {**} is not the last operator`];
      if (glob === '{*}') continue;
      if (glob === '{**}') {
        anySeen = true;
        continue;
      }
      if (/[{}]/.test(glob)) return [`invalid or unsupported path ${path}, found in ${field}. Contains '{' or '}' beyond a supported path template`];
      if (templated && !VALID_LITERAL.test(glob)) return [`invalid or unsupported path ${path}, found in ${field}. Contains segment ${glob} with invalid string literal`];
    }
  }
  return [];
}

function checkMapKey(key: string): string[] {
  const open = key.indexOf('[');
  return key.endsWith(']') && open > 0 && open < key.length - 2 ? [] : [`bad key (${key}): should have format a[b]`];
}

/** ValidateAttribute: a known `when` key and values it accepts. */
export function checkAttribute(key: string, values: readonly string[] | undefined): string[] {
  const empty = checkEmptyValues(key, values);
  if (empty.length > 0) return empty;
  if (key.startsWith('request.headers') || key.startsWith('request.auth.claims') || key.startsWith('experimental.envoy.filters.')) return checkMapKey(key);
  if (key === 'source.ip' || key === 'remote.ip' || key === 'destination.ip') return checkIps(values);
  if (key === 'source.serviceAccount') return checkServiceAccounts(key, values);
  if (key === 'source.trustDomain') return checkWildcardValues(key, values);
  if (key === 'destination.port') return checkPorts(values);
  if (['source.namespace', 'source.principal', 'request.auth.principal', 'request.auth.audiences', 'request.auth.presenter', 'connection.sni'].includes(key)) return [];
  if (key === 'destination.namespace') return [`attribute ${key} is replaced by the metadata.namespace`];
  if (key.startsWith('destination.labels')) return [`attribute ${key} is replaced by the workload selector`];
  if (key === 'destination.name' || key === 'destination.user') return [`deprecated attribute ${key}: only supported in v1alpha1`];
  return [`unknown attribute: ${key}`];
}
