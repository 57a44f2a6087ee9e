import { TrellisError } from '@trellis/shared';

/** Raw query string as Fastify parses it (arrays for repeated keys). */
export type Query = Record<string, string | string[] | undefined>;

export const badParam = (parameter: string, message: string): TrellisError =>
  new TrellisError('BAD_REQUEST', `invalid query parameter "${parameter}": ${message}`, { parameter });

export function one(q: Query, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) {
    if (v.length > 1) throw badParam(name, 'given more than once');
    return v[0];
  }
  return v === '' ? undefined : v;
}

/** axios' bracket arrays: `filters[]=a&filters[]=b` (also accepts `filters=a,b`). */
export function list(q: Query, name: string): string[] {
  const raw = q[`${name}[]`] ?? q[name];
  const vals = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return vals.flatMap((v) => v.split(',')).filter((v) => v !== '');
}

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 };

/** A Prometheus duration (`60s`, `10m`, `1h30m`) or plain seconds, as whole seconds > 0. */
export function durationSeconds(q: Query, name: string, fallback: number): number {
  const v = one(q, name);
  if (v === undefined) return fallback;
  if (/^\d+(\.\d+)?$/.test(v)) return positive(name, Number(v));
  const parts = [...v.matchAll(/(\d+)(ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== v) throw badParam(name, `"${v}" is not a duration (e.g. 60s, 10m)`);
  return positive(name, parts.reduce((acc, p) => acc + Number(p[1]) * (UNITS[p[2] as string] as number), 0));
}

function positive(name: string, n: number): number {
  if (!(n > 0) || !Number.isFinite(n)) throw badParam(name, 'must be greater than 0');
  return Math.max(1, Math.round(n));
}

export function bool(q: Query, name: string, fallback: boolean): boolean {
  const v = one(q, name);
  if (v === undefined) return fallback;
  if (v === 'true' || v === 'false') return v === 'true';
  throw badParam(name, `"${v}" is not true or false`);
}

export function number(q: Query, name: string, fallback: number, check: (n: number) => boolean = Number.isFinite): number {
  const v = one(q, name);
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^-?\d+(\.\d+)?$/.test(v.trim()) || !check(n)) throw badParam(name, `"${v}" is not a valid number`);
  return n;
}

/** One of a fixed set of values. */
export function choice<T extends string>(q: Query, name: string, allowed: readonly T[], fallback: T): T {
  const v = one(q, name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) throw badParam(name, `"${v}" is not one of ${allowed.join(', ')}`);
  return v as T;
}

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,251}[A-Za-z0-9])?$/;
/** A Kubernetes-style name from the URL path. */
export function pathName(name: string, value: string): string {
  if (!NAME.test(value)) throw new TrellisError('BAD_REQUEST', `invalid path parameter "${name}": "${value}" is not a valid name`, { parameter: name });
  return value;
}
