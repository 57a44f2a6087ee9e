import type { IncomingHttpHeaders } from 'node:http';
import type { HttpConnectionManager } from '../config/envoy-types';
import { invalid } from '../config/proto';
import type { TagList } from './tag-list';

type CustomTagConfig = NonNullable<NonNullable<HttpConnectionManager['tracing']>['custom_tags']>[number];

/**
 * HCM `tracing.custom_tags` (envoy.type.tracing.v3.CustomTag): a literal (Istio's istio.canonical_service,
 * istio.mesh_id, istio.namespace, …), an environment variable read once when the config is compiled
 * (as Envoy reads it at config load), or a request header read when the span finishes. A header or
 * variable that is absent gives `default_value`, or no tag when there is none.
 */
export type CompiledCustomTag =
  | { readonly tag: string; readonly kind: 'value'; readonly value: string }
  | { readonly tag: string; readonly kind: 'header'; readonly header: string; readonly fallback: string | undefined };

export function compileCustomTags(resource: string, tags: readonly CustomTagConfig[] | undefined, env: NodeJS.ProcessEnv): CompiledCustomTag[] {
  const out: CompiledCustomTag[] = [];
  (tags ?? []).forEach((t, i) => {
    const tag = t.tag;
    if (typeof tag !== 'string' || tag === '') throw invalid(resource, `tracing.custom_tags[${i}] without tag`);
    if (t.literal !== undefined) out.push({ tag, kind: 'value', value: t.literal.value ?? '' });
    else if (t.environment !== undefined) {
      const value = env[t.environment.name ?? ''] ?? t.environment.default_value;
      if (value !== undefined && value !== '') out.push({ tag, kind: 'value', value });
    } else if (t.request_header !== undefined) {
      const header = (t.request_header.name ?? '').toLowerCase();
      if (header === '') throw invalid(resource, `tracing.custom_tags[${i}] request_header without name`);
      out.push({ tag, kind: 'header', header, fallback: t.request_header.default_value || undefined });
    }
    // metadata tags (Istio's optional RBAC dry-run tags) carry no value without dynamic metadata of that name: none here.
  });
  return out;
}

/** Custom tags replace a tag of the same key (Envoy's setTag). */
export function applyCustomTags(tags: TagList, custom: readonly CompiledCustomTag[], h: IncomingHttpHeaders): void {
  for (let i = 0; i < custom.length; i++) {
    const c = custom[i] as CompiledCustomTag;
    if (c.kind === 'value') tags.set(c.tag, c.value);
    else {
      const v = h[c.header];
      const value = Array.isArray(v) ? v.join(',') : (v ?? c.fallback);
      if (value !== undefined) tags.set(c.tag, value);
    }
  }
}
