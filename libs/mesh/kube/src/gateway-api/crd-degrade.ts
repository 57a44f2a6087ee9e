/** `GET /version` of the API server (the fields Trellis reads). */
export interface ServerVersion {
  major: string;
  minor: string;
  gitVersion?: string;
}

/** Minor version of Kubernetes from which CRD validation rules (CEL, `x-kubernetes-validations`) are on by default. */
export const CEL_MINOR = 25;
/** Minor version from which `admissionregistration.k8s.io/v1` ValidatingAdmissionPolicy is served. */
export const VAP_MINOR = 30;

/** `{ major: '1', minor: '20+' }` → 20 (providers append `+`); undefined when it cannot be read. */
export function minorOf(version: ServerVersion): number | undefined {
  if (version.major !== '1') return version.major === '' ? undefined : Number.MAX_SAFE_INTEGER;
  const minor = Number.parseInt(version.minor, 10);
  return Number.isNaN(minor) ? undefined : minor;
}

/** Whether the server evaluates `x-kubernetes-validations` (Kubernetes 1.25+; unknown versions are assumed to). */
export function supportsCel(version: ServerVersion): boolean {
  const minor = minorOf(version);
  return minor === undefined || minor >= CEL_MINOR;
}

/** JSON-schema types whose zero value (`""`, `0`, `false`) older API servers may read as null. */
const SCALARS = new Set(['string', 'integer', 'number', 'boolean']);

/**
 * A deep copy of `value` as a server without CEL accepts it: no `x-kubernetes-validations` key, and
 * every scalar schema `nullable`. The second works around the API servers before CEL that validate a
 * zero value (`group: ""`, `attachedRoutes: 0`, a `default: ""`) as null — the Debian-built 1.20 here
 * rejects Istio's own samples (`parentRefs: [{group: ""}]`) and the CRDs themselves otherwise.
 * Types, enums, patterns, lengths and defaults stay.
 */
export function stripCelValidations<T>(value: T): T {
  return strip(value, false) as T;
}

/** `inSchema`: below an `openAPIV3Schema` (printer columns also carry a `type`). */
function strip(value: unknown, inSchema: boolean): unknown {
  if (Array.isArray(value)) return value.map((v) => strip(v, inSchema));
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k !== 'x-kubernetes-validations') out[k] = strip(v, inSchema || k === 'openAPIV3Schema');
  }
  if (inSchema && typeof o['type'] === 'string' && SCALARS.has(o['type'])) out['nullable'] = true;
  keepMapKeysRequired(out);
  return out;
}

/**
 * The API server forbids nullable items of a typed list (`x-kubernetes-list-type`) and nullable map keys
 * (`x-kubernetes-list-map-keys`); neither is ever empty anyway.
 */
function keepMapKeysRequired(schema: Record<string, unknown>): void {
  const items = schema['items'] as ({ properties?: Record<string, Record<string, unknown>> } & Record<string, unknown>) | undefined;
  if (items === undefined || schema['x-kubernetes-list-type'] === undefined) return;
  delete items['nullable'];
  const keys = schema['x-kubernetes-list-map-keys'];
  if (!Array.isArray(keys) || items.properties === undefined) return;
  for (const key of keys) if (typeof key === 'string' && items.properties[key] !== undefined) delete items.properties[key]['nullable'];
}

/** How many `x-kubernetes-validations` rules `value` holds (what stripping removes). */
export function countCelRules(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countCelRules(v), 0);
  if (value === null || typeof value !== 'object') return 0;
  let n = 0;
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    n += k === 'x-kubernetes-validations' && Array.isArray(v) ? v.length : countCelRules(v);
  }
  return n;
}
