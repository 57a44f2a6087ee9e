/**
 * A shape check of a Telemetry `filter.expression` at apply, where istiod parses it with cel-go
 * (`must be a valid CEL expression, …`): the expression is non-empty, its string literals end and
 * its brackets balance. Which operators a proxy evaluates is the proxy's business (it NACKs the rest).
 */
const CLOSE: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

function scanString(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

/** undefined when the expression may be CEL; else istiod's message with the reason. */
export function celShapeProblem(expression: string): string | undefined {
  if (expression.trim() === '') return 'must be a valid CEL expression, ERROR: <input>:1:1: Syntax error: mismatched input \'<EOF>\'';
  const open: string[] = [];
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i] as string;
    if (c === '"' || c === "'") {
      const end = scanString(expression, i);
      if (end < 0) return `must be a valid CEL expression, ERROR: <input>:1:${i + 1}: Syntax error: unterminated string literal`;
      i = end;
    } else if (CLOSE[c] !== undefined) open.push(CLOSE[c] as string);
    else if (c === ')' || c === ']' || c === '}') {
      if (open.pop() !== c) return `must be a valid CEL expression, ERROR: <input>:1:${i + 1}: Syntax error: unexpected '${c}'`;
    }
  }
  return open.length > 0 ? `must be a valid CEL expression, ERROR: <input>:1:${expression.length + 1}: Syntax error: missing '${open[open.length - 1]}'` : undefined;
}
