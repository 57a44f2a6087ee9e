/**
 * istiod's trust-domain migration of `source.principal` values (pilot/pkg/security/trustdomain,
 * ReplaceTrustDomainAliases) for a bundle of one trust domain, the mesh's: a principal written for
 * `cluster.local` (Istio's pointer to "the local trust domain") or for the mesh's own domain is
 * rewritten to the mesh's; `*` or a principal not in SPIFFE form is kept, as is one of a foreign domain.
 */

function prefixMatch(a: string, pattern: string): boolean {
  return pattern.endsWith('*') && a.startsWith(pattern.slice(0, -1));
}

function suffixMatch(a: string, pattern: string): boolean {
  return pattern.startsWith('*') && a.endsWith(pattern.slice(1));
}

function stringMatch(a: string, list: readonly string[]): boolean {
  return list.some((s) => a === s || s === '*' || prefixMatch(a, s) || prefixMatch(s, a) || suffixMatch(a, s) || suffixMatch(s, a));
}

export function replaceTrustDomain(principals: readonly string[], trustDomain: string): string[] {
  const out: string[] = [];
  for (const principal of principals) {
    const parts = principal.split('/');
    if (parts.length !== 5 || parts[0] === '*') {
      out.push(principal);
      continue;
    }
    const from = parts[0] ?? '';
    if (!stringMatch(from, [trustDomain]) && from !== 'cluster.local') {
      out.push(principal);
      continue;
    }
    const replaced = suffixMatch(trustDomain, from) ? principal : [trustDomain, ...parts.slice(1)].join('/');
    if (!out.includes(replaced)) out.push(replaced);
  }
  return out;
}
