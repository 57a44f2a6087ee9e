import { TrellisError } from '@trellis/shared';
import type { BinaryOp, Expr, Matcher, MatchOp } from './ast';

const TOKEN = /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|("(?:[^"\\]|\\.)*")|([A-Za-z_:][A-Za-z0-9_:]*)|(\[[^\]]*\])|(=~|!~|!=|==|>=|<=|[{}(),=<>+\-*/]))/y;

type Tok = { t: 'num' | 'str' | 'id' | 'range' | 'op'; v: string };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (m === null) throw unsupported(src, `unexpected input at ${at}`);
    const kinds = ['num', 'str', 'id', 'range', 'op'] as const;
    const i = [1, 2, 3, 4, 5].findIndex((g) => m[g] !== undefined);
    out.push({ t: kinds[i] as Tok['t'], v: m[i + 1] as string });
  }
  return out;
}

const unsupported = (q: string, why: string): TrellisError => new TrellisError('PROMQL_UNSUPPORTED', `query not supported by the in-process source: ${why}`, { query: q });

const UNITS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
function windowSeconds(q: string, range: string): number {
  const m = /^\[(\d+)(ms|s|m|h|d|w)\]$/.exec(range.replace(/\s/g, ''));
  if (m === null) throw unsupported(q, `range ${range}`);
  return Number(m[1]) * (UNITS[m[2] as string] as number);
}

const unquote = (s: string): string => s.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));

class Parser {
  private i = 0;
  private readonly toks: Tok[];

  constructor(private readonly src: string) {
    this.toks = tokenize(src);
  }

  parse(): Expr {
    const e = this.orExpr();
    if (this.i !== this.toks.length) throw unsupported(this.src, `trailing input at token ${this.i}`);
    return e;
  }

  private is(v: string): boolean {
    const t = this.toks[this.i];
    return t !== undefined && t.v === v && (t.t === 'op' || t.t === 'id');
  }

  private expect(v: string): void {
    if (!this.is(v)) throw unsupported(this.src, `expected "${v}" at token ${this.i}`);
    this.i++;
  }

  private next(kind: Tok['t'], what: string): string {
    const t = this.toks[this.i++];
    if (t?.t !== kind) throw unsupported(this.src, `${what} expected`);
    return t.v;
  }

  private labelList(): string[] {
    this.expect('(');
    const names: string[] = [];
    while (!this.is(')')) {
      names.push(this.next('id', 'label name'));
      if (this.is(',')) this.i++;
    }
    this.expect(')');
    return names;
  }

  private matcher(): Matcher {
    const name = this.next('id', 'label name');
    const op = this.next('op', 'matcher operator') as MatchOp;
    if (!['=', '!=', '=~', '!~'].includes(op)) throw unsupported(this.src, `matcher operator ${op}`);
    return { name, op, value: unquote(this.next('str', 'label value')) };
  }

  private rate(): Expr {
    this.expect('(');
    const metric = this.next('id', 'metric name');
    const matchers: Matcher[] = [];
    if (this.is('{')) {
      this.i++;
      while (!this.is('}')) {
        matchers.push(this.matcher());
        if (this.is(',')) this.i++;
      }
      this.i++;
    }
    const range = this.next('range', 'range selector');
    this.expect(')');
    return { kind: 'rate', metric, matchers, windowSeconds: windowSeconds(this.src, range) };
  }

  private sum(): Expr {
    let by = this.is('by') ? (this.i++, this.labelList()) : undefined;
    this.expect('(');
    const expr = this.orExpr();
    this.expect(')');
    if (by === undefined && this.is('by')) {
      this.i++;
      by = this.labelList();
    }
    return { kind: 'sum', by: by ?? [], expr };
  }

  private call(fn: 'round' | 'histogram_quantile'): Expr {
    this.expect('(');
    const args = [this.orExpr()];
    while (this.is(',')) {
      this.i++;
      args.push(this.orExpr());
    }
    this.expect(')');
    return { kind: 'call', fn, args };
  }

  private primary(): Expr {
    const t = this.toks[this.i++];
    if (t === undefined) throw unsupported(this.src, 'unexpected end');
    if (t.t === 'num') return { kind: 'number', value: Number(t.v) };
    if (t.v === '(') {
      const e = this.orExpr();
      this.expect(')');
      return e;
    }
    if (t.v === 'rate') return this.rate();
    if (t.v === 'sum') return this.sum();
    if (t.v === 'round' || t.v === 'histogram_quantile') return this.call(t.v);
    throw unsupported(this.src, `"${t.v}"`);
  }

  private level(ops: readonly string[], next: () => Expr): Expr {
    let lhs = next();
    for (let t = this.toks[this.i]; t !== undefined && ops.includes(t.v) && t.t !== 'str'; t = this.toks[this.i]) {
      this.i++;
      lhs = { kind: 'binary', op: t.v as BinaryOp, lhs, rhs: next() };
    }
    return lhs;
  }

  private mul = (): Expr => this.level(['*', '/'], () => this.primary());
  private add = (): Expr => this.level(['+', '-'], this.mul);
  private cmp = (): Expr => this.level(['>', '<', '>=', '<=', '==', '!='], this.add);
  private orExpr = (): Expr => this.level(['or'], this.cmp);
}

/** Parses the PromQL subset of ast.ts (recursive descent, PromQL precedence). */
export function parsePromQL(src: string): Expr {
  return new Parser(src).parse();
}
