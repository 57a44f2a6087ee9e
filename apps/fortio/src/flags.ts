import { TrellisError } from '@trellis/shared';

/** A flag as Go's `flag` package declares it: boolean flags take no value; `list` flags repeat (`-H a -H b`). */
export interface FlagSpec {
  readonly kind: 'string' | 'bool' | 'list';
  readonly usage: string;
}

export interface ParsedFlags {
  readonly values: ReadonlyMap<string, string>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  /** Boolean flags given on the command line, with their value. */
  readonly bools: ReadonlyMap<string, boolean>;
  /** What follows the flags (Go stops at the first non-flag or `--`). */
  readonly args: readonly string[];
}

export const FLAG_UNDEFINED = 'FLAG_UNDEFINED';
export const FLAG_VALUE = 'FLAG_VALUE';

/** `-name`, `--name`, `-name=value`, `-name value` (not for bools: `-bool=false` instead), as Go's flag.Parse. */
export function parseFlags(argv: readonly string[], specs: Readonly<Record<string, FlagSpec>>): ParsedFlags {
  const values = new Map<string, string>();
  const lists = new Map<string, string[]>();
  const bools = new Map<string, boolean>();
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return { values, lists, bools, args: argv.slice(i + 1) };
    if (!arg.startsWith('-') || arg === '-') break;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    const name = eq < 0 ? body : body.slice(0, eq);
    const spec = specs[name];
    if (spec === undefined) throw new TrellisError(FLAG_UNDEFINED, `flag provided but not defined: -${name}`, { flag: name });
    if (spec.kind === 'bool') {
      const v = eq < 0 ? 'true' : body.slice(eq + 1);
      if (v !== 'true' && v !== 'false') throw new TrellisError(FLAG_VALUE, `invalid boolean value "${v}" for -${name}`, { flag: name });
      bools.set(name, v === 'true');
      continue;
    }
    const value = eq < 0 ? argv[++i] : body.slice(eq + 1);
    if (value === undefined) throw new TrellisError(FLAG_VALUE, `flag needs an argument: -${name}`, { flag: name });
    if (spec.kind === 'list') lists.set(name, [...(lists.get(name) ?? []), value]);
    else values.set(name, value);
  }
  return { values, lists, bools, args: argv.slice(i) };
}

/** A numeric flag's value, or `fallback` when absent; `FLAG_VALUE` naming the flag when not a number. */
export function numberFlag(f: ParsedFlags, name: string, fallback: number): number {
  const raw = f.values.get(name);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new TrellisError(FLAG_VALUE, `invalid value "${raw}" for flag -${name}: parse error`, { flag: name });
  return n;
}

const UNITS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Go's time.ParseDuration (`5s`, `1m30s`, `250ms`, `0`) in milliseconds. */
export function parseGoDuration(raw: string, flag: string): number {
  if (raw === '0') return 0;
  const parts = [...raw.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== raw) {
    throw new TrellisError(FLAG_VALUE, `invalid value "${raw}" for flag -${flag}: parse error`, { flag });
  }
  return parts.reduce((ms, p) => ms + Number(p[1]) * (UNITS[p[2] ?? ''] ?? 0), 0);
}
