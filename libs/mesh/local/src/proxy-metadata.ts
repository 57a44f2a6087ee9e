import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { TrellisError, errorMessage } from '@trellis/shared';

export const MESH_CONFIG_FILE = 'mesh.yaml';

/**
 * `defaultConfig.proxyMetadata` of the mesh config (`<state>/mesh.yaml`, what the control plane
 * reads): the environment Istio's injector puts on every istio-proxy container, so local mode gives
 * it to every proxy it starts (sidecars and gateways) — e.g. `SECRET_TTL: 10s` for short-lived
 * workload certificates. No file or no field: none. Read once when the stack starts.
 */
export function readProxyMetadata(stateDir: string): Record<string, string> {
  const file = path.join(stateDir, MESH_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new TrellisError('MESH_CONFIG_INVALID', `${file}: ${errorMessage(err)}`, { file });
  }
  const metadata = (doc as { defaultConfig?: { proxyMetadata?: unknown } } | null)?.defaultConfig?.proxyMetadata;
  if (metadata === undefined || metadata === null) return {};
  if (typeof metadata !== 'object' || Array.isArray(metadata)) throw new TrellisError('MESH_CONFIG_INVALID', `${file}: defaultConfig.proxyMetadata must be a map of strings`, { file });
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new TrellisError('MESH_CONFIG_INVALID', `${file}: defaultConfig.proxyMetadata.${key} must be a string`, { file, field: `defaultConfig.proxyMetadata.${key}` });
    out[key] = value;
  }
  return out;
}
