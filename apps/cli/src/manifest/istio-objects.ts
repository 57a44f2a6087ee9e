import { isSecretManifest, type AnyResource } from '@trellis/mesh-api';
import { TrellisError } from '@trellis/shared';
import { RESOURCE_MAPPING_NOT_FOUND, type UnmappedObject } from '../errors';
import { kindForManifest } from '../kinds';
import type { ManifestDocument } from './read-manifests';

export interface SourcedObject {
  source: string;
  object: AnyResource;
}

/**
 * Keeps Istio objects and core/v1 Secrets (gateway credentials, stored by a local-mode control plane,
 * e.g. `kubectl create secret tls … --dry-run=client -o yaml`); any other kind (a Kubernetes Service in bookinfo.yaml, a Gateway API
 * Gateway) fails the whole batch with kubectl's "resource mapping not found", so nothing is applied.
 */
export function toIstioObjects(docs: readonly ManifestDocument[]): SourcedObject[] {
  const unmapped: UnmappedObject[] = [];
  const objects: SourcedObject[] = [];
  for (const doc of docs) {
    const meta = (doc.object['metadata'] ?? {}) as Record<string, unknown>;
    const name = typeof meta['name'] === 'string' ? meta['name'] : '';
    if (!kindForManifest(doc.object['kind'], doc.object['apiVersion']) && !isSecretManifest(doc.object)) {
      unmapped.push({
        name,
        namespace: typeof meta['namespace'] === 'string' ? meta['namespace'] : '',
        source: doc.source,
        kind: String(doc.object['kind'] ?? ''),
        apiVersion: String(doc.object['apiVersion'] ?? ''),
      });
      continue;
    }
    objects.push({ source: doc.source, object: doc.object as unknown as AnyResource });
  }
  if (unmapped.length > 0) {
    throw new TrellisError(RESOURCE_MAPPING_NOT_FOUND, 'resource mapping not found', { objects: unmapped });
  }
  return objects;
}
