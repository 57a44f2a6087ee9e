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

/**
 * A deep copy of `value` as a server without CEL accepts it: no `x-kubernetes-validations` key, and
 * no `default: ""` on a string (those servers read the empty default as null and reject the CRD;
 * every such default in the Gateway API is a `group`, where absent and "" both mean the core group).
 * Types, enums, patterns, lengths and the other defaults stay.
 */
export function stripCelValidations<T>(value: T): T {
  return strip(value) as T;
}

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  const emptyDefault = o['type'] === 'string' && o['default'] === '';
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'x-kubernetes-validations' || (emptyDefault && k === 'default')) continue;
    out[k] = strip(v);
  }
  return out;
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
