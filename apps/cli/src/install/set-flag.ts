import { InvalidArgumentError } from 'commander';
import { parse } from 'yaml';

/** One step of an IstioOperator path: a field, a list index, or istioctl's `[name:value]` list selector. */
export type PathSegment = string | number | { readonly key: string; readonly value: string };

/** One `--set <path>=<value>` (istioctl: `profile=demo`, `meshConfig.accessLogFile=/dev/stdout`, `values.x.y=1`). */
export interface SetFlag {
  readonly raw: string;
  /** The path as typed (`components.egressGateways[0].enabled`). */
  readonly key: string;
  readonly path: readonly PathSegment[];
  /** The value as YAML reads a scalar (`true`, `100`, `/dev/stdout`; empty = ""). */
  readonly value: unknown;
}

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_-]*)((?:\[[^\]]+\])*)$/;

function listSelectors(raw: string, arg: string): PathSegment[] {
  return [...raw.matchAll(/\[([^\]]+)\]/g)].map((m) => {
    const inner = m[1] ?? '';
    if (/^\d+$/.test(inner)) return Number(inner);
    const colon = inner.indexOf(':');
    if (colon > 0) return { key: inner.slice(0, colon), value: inner.slice(colon + 1) };
    throw new InvalidArgumentError(`"${arg}": [${inner}] is not a valid index path element`);
  });
}

/** Parses one `--set`; the path's meaning is checked later (spec-rules.ts), against everything given. */
export function parseSetFlag(arg: string): SetFlag {
  const eq = arg.indexOf('=');
  const key = eq < 0 ? arg : arg.slice(0, eq);
  if (eq <= 0) throw new InvalidArgumentError(`"${arg}": expected <path>=<value> (e.g. profile=demo, meshConfig.accessLogFile=/dev/stdout)`);
  const path: PathSegment[] = [];
  for (const part of key.split('.')) {
    const m = SEGMENT.exec(part);
    if (m === null) throw new InvalidArgumentError(`"${arg}": invalid path segment "${part}"`);
    path.push(m[1] ?? part, ...listSelectors(m[2] ?? '', arg));
  }
  const raw = arg.slice(eq + 1);
  let value: unknown;
  try {
    value = raw === '' ? '' : (parse(raw) as unknown);
  } catch {
    value = raw;
  }
  return { raw: arg, key, path, value: value ?? '' };
}

/** commander's collector for a repeatable `--set`. */
export function collectSetFlag(arg: string, previous: SetFlag[]): SetFlag[] {
  return [...previous, parseSetFlag(arg)];
}
