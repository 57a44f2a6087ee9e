import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TrellisError } from '@trellis/shared';
import { parse, parseAllDocuments } from 'yaml';
import type { GatewayApiManifest } from './install-gateway-api-crds';

export const GATEWAY_API_MANIFESTS_INVALID = 'GATEWAY_API_MANIFESTS_INVALID';

const invalid = (file: string, why: string): TrellisError => new TrellisError(GATEWAY_API_MANIFESTS_INVALID, `${file}: ${why}`, { path: file });

function isManifest(v: unknown): v is GatewayApiManifest {
  if (v === null || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  const meta = o['metadata'] as Record<string, unknown> | undefined;
  return typeof o['apiVersion'] === 'string' && typeof o['kind'] === 'string' && typeof meta?.['name'] === 'string';
}

/** The objects of `dir` (deploy/gateway-api) in its kustomization.yaml's `resources` order. */
export async function loadGatewayApiManifests(dir: string): Promise<GatewayApiManifest[]> {
  const kustomization = path.join(dir, 'kustomization.yaml');
  const doc = parse(await readFile(kustomization, 'utf8')) as { resources?: unknown } | null;
  const resources = doc?.resources;
  if (!Array.isArray(resources) || !resources.every((r): r is string => typeof r === 'string')) throw invalid(kustomization, 'resources must be a list of files');
  const out: GatewayApiManifest[] = [];
  for (const file of resources) {
    for (const d of parseAllDocuments(await readFile(path.join(dir, file), 'utf8'))) {
      if (d.errors.length > 0) throw invalid(file, d.errors[0]?.message ?? 'invalid YAML');
      const value: unknown = d.toJS();
      if (value === null || value === undefined) continue;
      if (!isManifest(value)) throw invalid(file, 'every object needs apiVersion, kind and metadata.name');
      out.push(value);
    }
  }
  return out;
}
