import { referencedResourceNotFound, type AnalysisMessage, type IstioConfig, type MeshService } from '@trellis/mesh-api';
import { convertGatewayApi } from './convert';

type Cond = { type?: string; status?: string; reason?: string; message?: string };

/** The reference a not-found condition names, read back from the message Trellis wrote (istiod's wording). */
const NOT_FOUND: readonly [RegExp, string][] = [
  [/^backend\((.+)\) not found$/, 'service'],
  [/^parent gateway "(.+)" not found$/, 'gateway'],
  [/^parent service: "(.+)" not found$/, 'service'],
  [/^sectionName "(.+)" not found$/, 'listener'],
];

function notFound(c: Cond): { type: string; value: string } | undefined {
  if (c.status !== 'False' || (c.reason !== 'BackendNotFound' && c.reason !== 'NoMatchingParent')) return undefined;
  for (const [re, type] of NOT_FOUND) {
    const m = re.exec(c.message ?? '');
    if (m?.[1] !== undefined) return { type, value: m[1] };
  }
  return undefined;
}

/**
 * `trellis analyze` over the Gateway API: the conversion istiod would do, and IST0101
 * (ReferencedResourceNotFound) for every route whose backend or parent does not exist. Everything
 * else a route or Gateway gets wrong is in its status (`kubectl get httproute -o yaml`).
 */
export function analyzeGatewayApi(configs: readonly IstioConfig[], services: readonly MeshService[], domainSuffix = 'cluster.local'): AnalysisMessage[] {
  if (!configs.some((c) => c.apiVersion.startsWith('gateway.networking.k8s.io/'))) return [];
  const namespaces = [...new Set([...configs.map((c) => c.metadata.namespace ?? 'default'), ...services.map((s) => s.namespace)])];
  const result = convertGatewayApi({
    configs,
    services,
    namespaces: namespaces.map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name } })),
    domainSuffix,
    gatewayAddresses: new Map(),
  });
  const out: AnalysisMessage[] = [];
  for (const s of result.status.filter((x) => x.kind === 'HTTPRoute')) {
    const resource = { kind: s.kind, namespace: s.namespace ?? 'default', name: s.name };
    const conditions = ((s.status['parents'] ?? []) as { conditions?: Cond[] }[]).flatMap((p) => p.conditions ?? []);
    const refs = new Map(conditions.map(notFound).filter((r): r is { type: string; value: string } => r !== undefined).map((r) => [`${r.type}/${r.value}`, r]));
    for (const r of refs.values()) out.push(referencedResourceNotFound(resource, r.type, r.value));
  }
  return out.sort((a, b) => a.origin.localeCompare(b.origin) || a.message.localeCompare(b.message));
}
