import { hostCandidates, type HTTPMatchRequest, type StringMatch } from '@trellis/mesh-api';

/**
 * Whether `host`, written in a config of `configNamespace`, names the service `fqdn`: Istio's short-name
 * rule, then istioctl's extendFQDN completion (`reviews.default` → `reviews.default.svc.cluster.local`).
 */
export function hostNames(host: string, configNamespace: string, fqdn: string): boolean {
  return hostCandidates(host, configNamespace).includes(fqdn);
}

/** `name` when in the described namespace, else `name.namespace` (istioctl's kname). */
export function kname(name: string, namespace: string | undefined, describedNamespace: string): string {
  return !namespace || namespace === describedNamespace ? name : `${name}.${namespace}`;
}

function renderStringMatch(match: StringMatch | undefined): string {
  if (!match) return '';
  if (match.exact !== undefined) return match.exact;
  if (match.prefix !== undefined) return match.prefix + '*';
  if (match.regex !== undefined) return `regex:${JSON.stringify(match.regex)}`;
  return '';
}

/** istioctl's renderMatch: `/productpage`, `/static*`, `when headers are end-user=jason`. */
export function renderMatch(match: HTTPMatchRequest): string {
  let text = '';
  if (match.uri) {
    text += renderStringMatch(match.uri);
    if (match.ignoreUriCase) text += ' uncased';
  }
  const headers = Object.entries(match.headers ?? {});
  if (headers.length > 0) {
    text += ' when headers are ' + headers.map(([key, value]) => `${key}=${renderStringMatch(value)}`).join('; ');
  }
  return text.trim();
}

/** istioctl's renderMatches: `everything` for a catch-all route. */
export function renderMatches(matches: readonly HTTPMatchRequest[] | undefined): string {
  if (!matches || matches.length === 0) return 'everything';
  return matches.map(renderMatch).join(', ');
}
