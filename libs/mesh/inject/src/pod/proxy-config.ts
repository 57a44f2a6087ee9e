/** A ProxyConfig as JSON fields (meshConfig.defaultConfig, the `proxy.istio.io/config` annotation). */
export type ProxyConfigFields = Readonly<Record<string, unknown>>;

const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `over`'s fields on `base`: nested objects (messages, and maps such as proxyMetadata) merge, everything else is replaced. */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const prior = out[key];
    out[key] = isMap(prior) && isMap(value) ? merge(prior, value) : value;
  }
  return out;
}

/**
 * The PROXY_CONFIG the injector gives istio-proxy, as istiod's (pkg/config/mesh MergeProxyConfig over
 * the mesh's defaultConfig, `{{ protoToJSON .ProxyConfig }}` in the template): meshConfig.defaultConfig
 * with the pod's `proxy.istio.io/config` (already JSON, annotation-env.ts) over it — its scalars win,
 * its messages and `proxyMetadata` merge. So a mesh-wide `terminationDrainDuration` reaches every proxy
 * and a pod's annotation still overrides it. Neither set: undefined (no PROXY_CONFIG).
 */
export function mergeProxyConfig(defaults: ProxyConfigFields | undefined, podJson: string | undefined): string | undefined {
  const pod: unknown = podJson === undefined ? undefined : JSON.parse(podJson);
  const base = isMap(defaults) && Object.keys(defaults).length > 0 ? defaults : undefined;
  if (base === undefined) return podJson;
  return JSON.stringify(isMap(pod) ? merge(base, pod) : base);
}
