import type { MetadataMatcher, ValueMatcher } from '@trellis/mesh-envoy';
import { type Cond, leafCond } from './cond';
import { RbacConfigError } from './errors';
import type { RbacInput } from './input';
import { compileString } from './string-match';

/**
 * envoy.type.matcher.v3.MetadataMatcher over a filter's dynamic metadata: the value at `path`
 * (nested structs), tested by a ValueMatcher. As Envoy: `string_match` matches string values only,
 * `list_match.one_of` matches a list when any element matches (istiod: `aud`, `groups` claims),
 * `present_match` tests presence, `or_match` any.
 */

const JWT_FILTER = 'envoy.filters.http.jwt_authn';
const JWT_PAYLOAD = 'payload';
export const NO_JWT = 'no JWT (request principal required)';

interface CompiledValue {
  readonly test: (v: unknown) => boolean;
  readonly wants: readonly string[];
}

const VALUE_KINDS = ['null_match', 'string_match', 'bool_match', 'present_match', 'list_match', 'or_match'] as const;

function compileValue(policy: string, m: ValueMatcher | undefined): CompiledValue {
  if (m === undefined || m === null) throw new RbacConfigError(policy, 'metadata matcher without value');
  const kinds = Object.keys(m).filter((k) => (m as Record<string, unknown>)[k] !== undefined);
  const unknown = kinds.find((k) => !(VALUE_KINDS as readonly string[]).includes(k));
  if (unknown !== undefined) throw new RbacConfigError(policy, `unsupported value matcher ${unknown}`);
  if (m.string_match !== undefined) {
    const s = compileString(policy, m.string_match);
    return { test: (v) => typeof v === 'string' && s.test(v), wants: [s.text] };
  }
  if (m.list_match !== undefined) {
    const inner = compileValue(policy, m.list_match.one_of);
    return { test: (v) => Array.isArray(v) && v.some(inner.test), wants: inner.wants };
  }
  if (m.or_match !== undefined) {
    const all = (m.or_match.value_matchers ?? []).map((x) => compileValue(policy, x));
    return { test: (v) => all.some((x) => x.test(v)), wants: all.flatMap((x) => x.wants) };
  }
  if (m.present_match !== undefined) {
    const want = m.present_match;
    return { test: (v) => (v !== undefined) === want, wants: [want ? '(present)' : '(absent)'] };
  }
  if (m.bool_match !== undefined) return { test: (v) => v === m.bool_match, wants: [String(m.bool_match)] };
  if (m.null_match !== undefined) return { test: (v) => v === null, wants: ['null'] };
  throw new RbacConfigError(policy, 'value matcher has no match set');
}

function valueAt(struct: Readonly<Record<string, unknown>> | undefined, keys: readonly string[]): unknown {
  let v: unknown = struct;
  for (let k = 0; k < keys.length; k++) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = (v as Record<string, unknown>)[keys[k]];
  }
  return v;
}

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  return JSON.stringify(v);
}

/** `request.auth.claims[groups]` for istiod's JWT matchers, else `metadata <filter>[a.b]`. */
function subjectOf(filter: string, keys: readonly string[]): string {
  if (filter === JWT_FILTER && keys[0] === JWT_PAYLOAD && keys.length > 1) return `request.auth.claims[${keys.slice(1).join('.')}]`;
  return `metadata ${filter}[${keys.join('.')}]`;
}

export function metadataCond(policy: string, m: MetadataMatcher): Cond {
  const filter = m.filter;
  if (typeof filter !== 'string' || filter === '') throw new RbacConfigError(policy, 'metadata matcher without filter');
  const keys = (m.path ?? []).map((seg) => {
    if (typeof seg.key !== 'string') throw new RbacConfigError(policy, 'metadata path segment without key');
    return seg.key;
  });
  if (keys.length === 0) throw new RbacConfigError(policy, 'metadata matcher without path');
  const value = compileValue(policy, m.value);
  const invert = m.invert === true;
  const subject = subjectOf(filter, keys);
  const struct = (i: RbacInput) => (i.metadata === undefined ? undefined : i.metadata(filter));
  const wants = [...new Set(value.wants)].join(', ');
  return leafCond(
    {
      subject,
      verb: 'match',
      want: invert ? `not ${wants}` : wants,
      actual: (i) => { const v = valueAt(struct(i), keys); return v === undefined ? undefined : show(v); },
      missing: (i) => (struct(i) === undefined ? (filter === JWT_FILTER ? NO_JWT : `no ${filter} metadata`) : `${subject} absent`),
    },
    (i) => value.test(valueAt(struct(i), keys)) !== invert,
  );
}

/** The metadata an exchange carries, by filter name (Envoy's dynamic metadata). */
export type DynamicMetadata = ReadonlyMap<string, Readonly<Record<string, unknown>>> | undefined;

/**
 * A MetadataMatcher on its own (ext_authz's `filter_enabled_metadata`): the same compiled matcher RBAC
 * policies use. Throws RbacConfigError naming `resource`. The returned test allocates nothing.
 */
export function compileMetadataMatcher(resource: string, m: MetadataMatcher): (metadata: DynamicMetadata) => boolean {
  const cond = metadataCond(resource, m);
  let current: DynamicMetadata;
  const input: RbacInput = { sourceIp: '', remoteIp: '', destinationIp: '', destinationPort: 0, authenticated: false, metadata: (filter) => current?.get(filter) };
  return (metadata) => {
    current = metadata;
    const matched = cond.test(input);
    current = undefined;
    return matched;
  };
}
