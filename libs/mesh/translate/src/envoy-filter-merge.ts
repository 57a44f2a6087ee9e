/**
 * Protobuf's MergeFrom on the contract shape, as istiod merges an EnvoyFilter MERGE value: repeated
 * fields append, messages merge field by field, scalars replace; an Any (an object with `@type`)
 * and a map entry are replaced whole.
 */
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Fields that are maps in Envoy's protos (their entries are replaced, not merged). */
const MAP_FIELDS = new Set(['typed_per_filter_config', 'filter_metadata']);

export function protoMerge<T extends object>(target: T, patch: Readonly<Obj>): T {
  const out: Obj = { ...(target as Obj) };
  for (const [key, value] of Object.entries(patch)) {
    const current = out[key];
    if (Array.isArray(value)) out[key] = [...(Array.isArray(current) ? current : []), ...structuredClone(value)];
    else if (MAP_FIELDS.has(key) && isObj(value)) out[key] = { ...(isObj(current) ? current : {}), ...structuredClone(value) };
    else if (isObj(value) && isObj(current) && value['@type'] === undefined) out[key] = protoMerge(current, value);
    else out[key] = structuredClone(value);
  }
  return out as T;
}
