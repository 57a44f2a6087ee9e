import type { HTTPMatchRequest, StringMatch } from '@trellis/mesh-api';

const K8S_SUFFIX = '.svc.cluster.local';

/** Istio's ResolveShortnameToFQDN: a host without dots lives in the config's namespace. */
export function resolveHost(host: string, configNamespace: string): string {
  if (host.startsWith('*') || host.includes('.')) return host;
  return `${host}.${configNamespace}${K8S_SUFFIX}`;
}

/** istioctl's extendFQDN: append `.svc.cluster.local` unless present. */
export function extendFqdn(host: string): string {
  if (host.startsWith('*') || host.endsWith(K8S_SUFFIX)) return host;
  if (host.endsWith('.svc')) return host + '.cluster.local';
  return host + K8S_SUFFIX;
}

/** True when every selector label is present with the same value (an empty selector matches all). */
export function labelsMatch(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector ?? {}).every(([key, value]) => labels[key] === value);
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
