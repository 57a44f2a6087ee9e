import type { BinaryOp, Expr, RateSource, VectorSample } from './ast';
import { histogramQuantile } from './histogram-quantile';

type Value = number | VectorSample[];

const key = (labels: Record<string, string>): string => JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1)));

function compare(op: BinaryOp, a: number, b: number): boolean {
  switch (op) {
    case '>': return a > b;
    case '<': return a < b;
    case '>=': return a >= b;
    case '<=': return a <= b;
    case '==': return a === b;
    default: return a !== b;
  }
}

function arith(op: BinaryOp, a: number, b: number): number {
  if (op === '+') return a + b;
  if (op === '-') return a - b;
  if (op === '*') return a * b;
  return a / b;
}

function vectorOp(op: BinaryOp, l: VectorSample[], r: VectorSample[]): VectorSample[] {
  if (op === 'or') {
    const seen = new Set(l.map((s) => key(s.labels)));
    return [...l, ...r.filter((s) => !seen.has(key(s.labels)))];
  }
  const right = new Map(r.map((s) => [key(s.labels), s.value]));
  const out: VectorSample[] = [];
  for (const s of l) {
    const rv = right.get(key(s.labels));
    if (rv === undefined) continue;
    if (['+', '-', '*', '/'].includes(op)) out.push({ labels: s.labels, value: arith(op, s.value, rv) });
    else if (compare(op, s.value, rv)) out.push(s);
  }
  return out;
}

function binary(op: BinaryOp, l: Value, r: Value): Value {
  const arithmetic = ['+', '-', '*', '/'].includes(op);
  if (typeof l === 'number' && typeof r === 'number') return arithmetic ? arith(op, l, r) : Number(compare(op, l, r));
  if (typeof l !== 'number' && typeof r !== 'number') return vectorOp(op, l, r);
  const vec = (typeof l === 'number' ? r : l) as VectorSample[];
  const apply = (v: number): [number, number] => (typeof l === 'number' ? [l, v] : [v, r as number]);
  if (arithmetic) return vec.map((s) => ({ labels: s.labels, value: arith(op, ...apply(s.value)) }));
  return vec.filter((s) => compare(op, ...apply(s.value)));
}

function sumBy(vec: VectorSample[], by: readonly string[]): VectorSample[] {
  const groups = new Map<string, VectorSample>();
  for (const s of vec) {
    const labels: Record<string, string> = {};
    for (const b of by) if ((s.labels[b] ?? '') !== '') labels[b] = s.labels[b] as string;
    const k = key(labels);
    const g = groups.get(k);
    if (g === undefined) groups.set(k, { labels, value: s.value });
    else g.value += s.value;
  }
  return [...groups.values()];
}

const asVector = (v: Value): VectorSample[] => (typeof v === 'number' ? [] : v);
const asScalar = (v: Value): number => (typeof v === 'number' ? v : NaN);

/** As Prometheus: through the inverse, so round(36.6, 0.001) is 36.6, not 36.600000000000001. */
function roundTo(v: number, to: number): number {
  const inverse = 1 / to;
  return Math.floor(v * inverse + 0.5) / inverse;
}

/** Evaluates an instant query at `t` (epoch s) over `source`. */
export function evaluate(e: Expr, source: RateSource, t: number): Value {
  switch (e.kind) {
    case 'number': return e.value;
    case 'rate': return source.rate(e.metric, e.matchers, e.windowSeconds, t);
    case 'sum': return sumBy(asVector(evaluate(e.expr, source, t)), e.by);
    case 'binary': return binary(e.op, evaluate(e.lhs, source, t), evaluate(e.rhs, source, t));
    case 'call': {
      const args = e.args.map((a) => evaluate(a, source, t));
      if (e.fn === 'round') {
        const to = args[1] === undefined ? 1 : asScalar(args[1]);
        return asVector(args[0] ?? []).map((s) => ({ labels: s.labels, value: roundTo(s.value, to) }));
      }
      return histogramQuantile(asScalar(args[0] ?? NaN), asVector(args[1] ?? []));
    }
  }
}
