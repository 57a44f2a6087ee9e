/**
 * The control-plane bench's mesh shape. Unscoped (default): every service and proxy in `default`,
 * no Sidecar — every proxy receives every service. `--scoped`: services and proxies spread over
 * `--namespaces N` (default 10) namespaces, each with a namespace-default Sidecar importing
 * `./*` and `istio-system/*` (Istio's recommended scoping), so a proxy receives its namespace's
 * services and a change to one service concerns only the proxies of its namespace.
 */
const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

export const SCOPED = process.argv.includes('--scoped');
export const NAMESPACES = SCOPED ? Math.max(1, arg('namespaces', 10)) : 1;

/** The namespace of service or proxy `i`. */
export function namespaceOf(i: number): string {
  return SCOPED ? `ns-${i % NAMESPACES}` : 'default';
}

/** One namespace-default Sidecar per namespace (scoped mesh only). */
export function sidecars(): { metadata: { namespace: string } }[] {
  if (!SCOPED) return [];
  return Array.from({ length: NAMESPACES }, (_, n) => ({
    apiVersion: 'networking.istio.io/v1', kind: 'Sidecar', metadata: { name: 'default', namespace: `ns-${n}` },
    spec: { egress: [{ hosts: ['./*', 'istio-system/*'] }] },
  }));
}

/** The outbound clusters a proxy in `namespace` sees (what it subscribes to over EDS). */
export function clusterNamesFor(namespace: string, services: number): string[] {
  const names: string[] = [];
  for (let i = 0; i < services; i++) if (!SCOPED || namespaceOf(i) === namespace) names.push(`outbound|9080||svc-${i}.${namespaceOf(i)}.svc.cluster.local`);
  return names;
}

/** Change `c`: a VirtualService for one service splitting its traffic with another of its namespace. */
export function virtualService(c: number, weight: number, services: number): { namespace: string; object: unknown } {
  const i = c % services;
  const other = SCOPED ? (i + NAMESPACES) % services : (i + 1) % services;
  const namespace = namespaceOf(i);
  const host = (n: number): string => `svc-${n}.${namespaceOf(n)}.svc.cluster.local`;
  return {
    namespace,
    object: {
      apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name: `svc-${i}`, namespace },
      spec: { hosts: [host(i)], http: [{ route: [{ destination: { host: host(i) }, weight }, { destination: { host: host(other) }, weight: 100 - weight }] }] },
    },
  };
}
