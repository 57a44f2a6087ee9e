import { TrellisError } from './errors';

/**
 * `--name value` / `--name=value` flags of a small server's command line, only those in `known`
 * (anything else, or a flag without its value, is `INVALID_ARGUMENT` carrying `usage`).
 */
export function readFlags<F extends string>(argv: readonly string[], known: readonly F[], usage: string): Map<F, string> {
  const out = new Map<F, string>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (!(known as readonly string[]).includes(name)) throw new TrellisError('INVALID_ARGUMENT', usage, { argument: arg });
    const value = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new TrellisError('INVALID_ARGUMENT', usage, { argument: name });
    out.set(name as F, value);
  }
  return out;
}
