/** Go's `%.<prec>g`: shortest of fixed/exponent notation, trailing zeros trimmed, `e-05` style exponents. */
export function goG(x: number, prec = 6): string {
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const exp = Math.floor(Math.log10(Math.abs(Number(x.toPrecision(prec)))));
  if (exp < -4 || exp >= prec) {
    const [m = '', e = '0'] = x.toExponential(prec - 1).split('e');
    const n = Number(e);
    return `${trimZeros(m)}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return trimZeros(x.toFixed(Math.max(0, prec - 1 - exp)));
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** Go's `time.Duration.String()` for a span in milliseconds: `59.8524ms`, `1.234567s`, `2m0.5s`. */
export function goDuration(ms: number): string {
  const ns = Math.round(ms * 1e6);
  if (ns === 0) return '0s';
  if (ns < 1000) return `${ns}ns`;
  if (ns < 1e6) return `${trimZeros((ns / 1e3).toFixed(3))}µs`;
  if (ns < 1e9) return `${trimZeros((ns / 1e6).toFixed(6))}ms`;
  const s = ns / 1e9;
  if (s < 60) return `${trimZeros(s.toFixed(9))}s`;
  const m = Math.floor(s / 60);
  return `${m}m${trimZeros((s - m * 60).toFixed(9))}s`;
}
