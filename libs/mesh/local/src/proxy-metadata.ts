import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ProxyConfigFields } from '@trellis/mesh-inject';
import { TrellisError, errorMessage } from '@trellis/shared';

export const MESH_CONFIG_FILE = 'mesh.yaml';

/** What local mode takes from the mesh config for the proxies it starts, as Istio's injector does. */
export interface MeshProxyDefaults {
  /** `defaultConfig.proxyMetadata`: every proxy's environment (e.g. `SECRET_TTL: 10s`). */
  readonly proxyMetadata: Record<string, string>;
  /**
   * `defaultConfig` as a whole: merged under a pod's `proxy.istio.io/config` into PROXY_CONFIG
   * (@trellis/mesh-inject mergeProxyConfig), e.g. a mesh-wide `terminationDrainDuration`.
   */
  readonly defaultProxyConfig: ProxyConfigFields | undefined;
}

function readMeshYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return parse(text);
  } catch (err) {
    throw new TrellisError('MESH_CONFIG_INVALID', `${file}: ${errorMessage(err)}`, { file });
  }
}

function proxyMetadataOf(metadata: unknown, file: string): Record<string, string> {
  if (metadata === undefined || metadata === null) return {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new TrellisError('MESH_CONFIG_INVALID', `${file}: defaultConfig.proxyMetadata must be a map of strings`, { file });
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new TrellisError('MESH_CONFIG_INVALID', `${file}: defaultConfig.proxyMetadata.${key} must be a string`, { file, field: `defaultConfig.proxyMetadata.${key}` });
    out[key] = value;
  }
  return out;
}

/**
 * `defaultConfig` of the mesh config (`<state>/mesh.yaml`, what the control plane reads): its
 * `proxyMetadata` is the environment Istio's injector puts on every istio-proxy container, and the
 * whole of it is the base of PROXY_CONFIG, so local mode gives both to every proxy it starts (sidecars
 * and gateways). No file or no field: none. Read once when the stack starts.
 */
export function readMeshProxyDefaults(stateDir: string): MeshProxyDefaults {
  const file = path.join(stateDir, MESH_CONFIG_FILE);
  const defaults = (readMeshYaml(file) as { defaultConfig?: unknown } | null | undefined)?.defaultConfig;
  if (defaults === undefined || defaults === null) return { proxyMetadata: {}, defaultProxyConfig: undefined };
  if (typeof defaults !== 'object' || Array.isArray(defaults)) throw new TrellisError('MESH_CONFIG_INVALID', `${file}: defaultConfig must be a map (Istio's ProxyConfig)`, { file, field: 'defaultConfig' });
  const fields = defaults as ProxyConfigFields;
  return { proxyMetadata: proxyMetadataOf(fields['proxyMetadata'], file), defaultProxyConfig: fields };
}

/** `defaultConfig.proxyMetadata` alone (readMeshProxyDefaults). */
export function readProxyMetadata(stateDir: string): Record<string, string> {
  return readMeshProxyDefaults(stateDir).proxyMetadata;
}
