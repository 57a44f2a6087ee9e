/**
 * A tiny CEL parser for the access-log filter forms Istio users write: comparisons (== != < <= > >=)
 * of attributes (`response.code`, `request.headers['x-user']`, `connection.mtls`, `upstream.address`)
 * and literals (ints, 'strings', "strings", true, false, null), `&&`, `||`, `!`, parentheses, and a
 * bare boolean attribute. Anything else throws, naming the position.
 */
export type CelNode =
  | { readonly kind: 'lit'; readonly value: string | number | boolean | null }
  | { readonly kind: 'attr'; readonly path: readonly string[] }
  | { readonly kind: 'not'; readonly arg: CelNode }
  | { readonly kind: 'and' | 'or'; readonly left: CelNode; readonly right: CelNode }
  | { readonly kind: 'cmp'; readonly op: CmpOp; readonly left: CelNode; readonly right: CelNode };
export type CmpOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

const TOKEN = /\s*(?:(\d+)|('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")|([A-Za-z_][A-Za-z0-9_]*)|(==|!=|<=|>=|&&|\|\||[<>!().[\]]))/y;

type Tok = { readonly t: 'num' | 'str' | 'id' | 'op'; readonly v: string; readonly at: number };

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < src.length) {
    if (/^\s*$/.test(src.slice(TOKEN.lastIndex))) break;
    const at = TOKEN.lastIndex;
    const m = TOKEN.exec(src);
    if (m === null) throw new Error(`Syntax error at position ${at}`);
    const [, num, s, id, op] = m;
    if (num !== undefined) out.push({ t: 'num', v: num, at });
    else if (s !== undefined) out.push({ t: 'str', v: s.slice(1, -1).replace(/\\(.)/g, '$1'), at });
    else if (id !== undefined) out.push({ t: 'id', v: id, at });
    else out.push({ t: 'op', v: op as string, at });
  }
  return out;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: readonly Tok[]) {}

  parse(): CelNode {
    const n = this.or();
    const rest = this.toks[this.i];
    if (rest !== undefined) throw new Error(`Syntax error: unexpected '${rest.v}' at position ${rest.at}`);
    return n;
  }

  private peek(v: string): boolean {
    const t = this.toks[this.i];
    return t !== undefined && t.t === 'op' && t.v === v;
  }

  private expect(v: string): void {
    if (!this.peek(v)) throw new Error(`Syntax error: expected '${v}' at position ${this.toks[this.i]?.at ?? 'end'}`);
    this.i++;
  }

  private or(): CelNode {
    let left = this.and();
    while (this.peek('||')) {
      this.i++;
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): CelNode {
    let left = this.unary();
    while (this.peek('&&')) {
      this.i++;
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): CelNode {
    if (this.peek('!')) {
      this.i++;
      return { kind: 'not', arg: this.unary() };
    }
    const left = this.primary();
    const t = this.toks[this.i];
    if (t?.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.i++;
      return { kind: 'cmp', op: t.v as CmpOp, left, right: this.primary() };
    }
    return left;
  }

  private primary(): CelNode {
    const t = this.toks[this.i++];
    if (t === undefined) throw new Error('Syntax error: unexpected end of expression');
    if (t.t === 'op' && t.v === '(') {
      const n = this.or();
      this.expect(')');
      return n;
    }
    if (t.t === 'num') return { kind: 'lit', value: Number(t.v) };
    if (t.t === 'str') return { kind: 'lit', value: t.v };
    if (t.t === 'id') {
      if (t.v === 'true' || t.v === 'false') return { kind: 'lit', value: t.v === 'true' };
      if (t.v === 'null') return { kind: 'lit', value: null };
      return { kind: 'attr', path: this.path(t.v) };
    }
    throw new Error(`Syntax error: unexpected '${t.v}' at position ${t.at}`);
  }

  private path(first: string): string[] {
    const path = [first];
    for (;;) {
      if (this.peek('.')) {
        this.i++;
        const id = this.toks[this.i++];
        if (id?.t !== 'id') throw new Error(`Syntax error: expected a field name after '.'`);
        path.push(id.v);
      } else if (this.peek('[')) {
        this.i++;
        const key = this.toks[this.i++];
        if (key?.t !== 'str') throw new Error(`Syntax error: expected a string key in '[...]'`);
        path.push(key.v);
        this.expect(']');
      } else return path;
    }
  }
}

export function parseCel(expression: string): CelNode {
  return new Parser(tokenize(expression)).parse();
}
