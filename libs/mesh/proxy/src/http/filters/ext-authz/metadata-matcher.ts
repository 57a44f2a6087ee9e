import type { MetadataMatcher, ValueMatcher } from '@trellis/mesh-envoy';
import type { Received } from '@trellis/mesh-envoy';
import { invalid } from '../../../config/proto';
import { compileStringMatcher } from '../../../routing/string-matcher';

/**
 * envoy.type.matcher.v3.MetadataMatcher over an exchange's dynamic metadata: the value at `path`
 * inside `filter`'s struct, tested by the ValueMatcher forms istiod writes (ext_authz's
 * `filter_enabled_metadata` reads what the shadow RBAC filter wrote). A missing value fails every
 * value matcher, as in Envoy; `invert` then flips the result.
 */
export type DynamicMetadata = ReadonlyMap<string, Record<string, unknown>> | undefined;
export type MetadataTest = (metadata: DynamicMetadata) => boolean;

type ValueTest = (value: unknown) => boolean;

const isPrimitive = (v: unknown): boolean => v === null || ['string', 'number', 'boolean'].includes(typeof v);

function compileValue(resource: string, m: Received<ValueMatcher> | undefined): ValueTest {
  if (m === undefined) throw invalid(resource, 'metadata matcher without value');
  if (m.string_match !== undefined) {
    const test = compileStringMatcher(resource, m.string_match);
    return (v) => typeof v === 'string' && test(v);
  }
  if (m.bool_match !== undefined) return (v) => v === m.bool_match;
  if (m.present_match !== undefined) return (v) => m.present_match === true && v !== undefined && isPrimitive(v);
  if (m.null_match !== undefined) return (v) => v === null;
  if (m.list_match !== undefined) {
    const one = compileValue(resource, m.list_match.one_of);
    return (v) => Array.isArray(v) && v.some(one);
  }
  if (m.or_match !== undefined) {
    const any = (m.or_match.value_matchers ?? []).map((x) => compileValue(resource, x));
    return (v) => any.some((t) => t(v));
  }
  throw invalid(resource, 'metadata value matcher of an unsupported kind');
}

function lookup(metadata: DynamicMetadata, filter: string, keys: readonly string[]): unknown {
  let v: unknown = metadata?.get(filter);
  for (const k of keys) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

export function compileMetadataMatcher(resource: string, m: Received<MetadataMatcher>): MetadataTest {
  const filter = m.filter;
  if (typeof filter !== 'string' || filter === '') throw invalid(resource, 'filter_enabled_metadata without filter');
  const keys = (m.path ?? []).map((p, i) => {
    if (typeof p.key !== 'string' || p.key === '') throw invalid(resource, `filter_enabled_metadata path[${i}] without key`);
    return p.key;
  });
  if (keys.length === 0) throw invalid(resource, 'filter_enabled_metadata without path');
  const test = compileValue(`${resource} filter_enabled_metadata`, m.value);
  const invert = m.invert === true;
  return (metadata) => test(lookup(metadata, filter, keys)) !== invert;
}
