/**
 * Kubernetes equality-based label selection: every selector label is present with the same value; an
 * absent or empty selector matches everything. Allocation-free (it runs per workload per selector in
 * the translator's hot paths).
 */
export function labelsMatch(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (selector === undefined) return true;
  for (const k in selector) if (labels[k] !== selector[k]) return false;
  return true;
}
