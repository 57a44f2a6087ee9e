/** The PromQL subset Kiali's graph, health and metrics queries use (and nothing more). */
export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export type BinaryOp = 'or' | '>' | '<' | '>=' | '<=' | '==' | '!=' | '+' | '-' | '*' | '/';

export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'rate'; metric: string; matchers: Matcher[]; windowSeconds: number }
  | { kind: 'sum'; by: string[]; expr: Expr }
  | { kind: 'call'; fn: 'round' | 'histogram_quantile'; args: Expr[] }
  | { kind: 'binary'; op: BinaryOp; lhs: Expr; rhs: Expr };

/** An instant-vector element during evaluation. */
export interface VectorSample {
  labels: Record<string, string>;
  value: number;
}

/** Where `rate(metric{matchers}[window])` at time `t` comes from (scraped rings, or test tables). */
export interface RateSource {
  rate(metric: string, matchers: readonly Matcher[], windowSeconds: number, t: number): VectorSample[];
}

export function matches(labels: Readonly<Record<string, string>>, m: readonly Matcher[]): boolean {
  return m.every(({ name, op, value }) => {
    const v = labels[name] ?? '';
    if (op === '=') return v === value;
    if (op === '!=') return v !== value;
    const re = anchored(value);
    return op === '=~' ? re.test(v) : !re.test(v);
  });
}

const cache = new Map<string, RegExp>();
/** PromQL regexes are fully anchored. */
function anchored(src: string): RegExp {
  let re = cache.get(src);
  if (re === undefined) {
    re = new RegExp(`^(?:${src})$`);
    if (cache.size > 1000) cache.clear();
    cache.set(src, re);
  }
  return re;
}
