import { stringify } from 'yaml';
import type { Component } from './deploy-manifests';
import { applyOrder } from './resources';

/** `manifest generate`: every object install would apply, in its order, as one YAML stream (`---` between objects). */
export function manifestYaml(components: readonly Component[]): string {
  return components
    .flatMap((c) => applyOrder(c.manifests).map((m) => stringify(m.object, { lineWidth: 0 })))
    .join('---\n');
}
