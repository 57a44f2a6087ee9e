import type { Operator } from './command-operators';

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** One strftime directive of Envoy's START_TIME(...) (UTC), or undefined when unsupported. */
function directive(d: string, t: Date, ms: number): string | undefined {
  switch (d) {
    case 'Y': return String(t.getUTCFullYear());
    case 'm': return pad(t.getUTCMonth() + 1);
    case 'd': return pad(t.getUTCDate());
    case 'H': return pad(t.getUTCHours());
    case 'M': return pad(t.getUTCMinutes());
    case 'S': return pad(t.getUTCSeconds());
    case 's': return String(Math.floor(ms / 1000));
    case 'z': return '+0000';
    case 'Z': return 'UTC';
    case '%': return '%';
    default: return undefined;
  }
}

/** Compiles a START_TIME format: strftime's %Y %m %d %H %M %S %s %z %Z %%, Envoy's %E<n>S / %<n>f (fractions); throws on others. */
export function startTimeOperator(fmt: string | undefined): Operator {
  if (fmt === undefined || fmt === '') return (r) => new Date(r.startMs).toISOString();
  const parts: ((t: Date, ms: number) => string)[] = [];
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%') {
      const c = fmt[i] as string;
      parts.push(() => c);
      continue;
    }
    const frac = /^%(?:E(\d)S|(\d)f)/.exec(fmt.slice(i));
    if (frac !== null) {
      const n = Number(frac[1] ?? frac[2]);
      const secs = frac[1] !== undefined;
      parts.push((t, ms) => (secs ? `${pad(t.getUTCSeconds())}.` : '') + pad(ms % 1000, 3).padEnd(n, '0').slice(0, n));
      i += frac[0].length - 1;
      continue;
    }
    const d = fmt[i + 1] ?? '';
    if (directive(d, new Date(0), 0) === undefined) throw new Error(`START_TIME: unsupported format directive %${d}`);
    parts.push((t, ms) => directive(d, t, ms) as string);
    i++;
  }
  return (r) => {
    const t = new Date(r.startMs);
    let out = '';
    for (const p of parts) out += p(t, r.startMs);
    return out;
  };
}
