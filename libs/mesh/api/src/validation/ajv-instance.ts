import Ajv, { type ValidateFunction } from 'ajv';
import type { JsonSchema } from '../schema/json-schema';

/** Go `time.ParseDuration` syntax, as Istio and Kubernetes accept it: `7s`, `0.5s`, `100ms`, `1h30m`. */
export const DURATION_PATTERN = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function createAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, logger: false });
  ajv.addKeyword({ keyword: 'x-kubernetes-preserve-unknown-fields', schemaType: 'boolean' });
  ajv.addFormat('duration', { type: 'string', validate: (s: string) => DURATION_PATTERN.test(s) });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32_MIN && n <= INT32_MAX });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addFormat('byte', { type: 'string', validate: (s: string) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) });
  return ajv;
}

let shared: Ajv | undefined;
const cache = new Map<string, ValidateFunction>();

/** Compile (once per key) a schema with the shared ajv instance. */
export function compiled(key: string, schema: () => JsonSchema): ValidateFunction {
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  shared ??= createAjv();
  const fn = shared.compile(schema());
  cache.set(key, fn);
  return fn;
}
