/** One sample line of the Prometheus text exposition format. */
export interface TextSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** The line's `name{…}` text: a stable series key without sorting labels. */
  key?: string;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;

function parseLabels(line: string, start: number): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  let i = start;
  while (i < line.length && line[i] !== '}') {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') break;
    LABEL_NAME.lastIndex = i;
    const name = LABEL_NAME.exec(line)?.[0];
    if (name === undefined || line[i + name.length] !== '=' || line[i + name.length + 1] !== '"') return undefined;
    i += name.length + 2;
    const close = line.indexOf('"', i);
    let value: string;
    if (close >= 0 && line.lastIndexOf('\\', close) < i) {
      value = line.slice(i, close); // no escapes: one slice
      i = close;
    } else {
      value = '';
      for (; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === '\\') {
          const c = line[++i];
          value += c === 'n' ? '\n' : (c ?? '');
        } else value += line[i];
      }
    }
    if (line[i] !== '"') return undefined;
    labels[name] = value;
    i++;
  }
  return line[i] === '}' ? { labels, end: i + 1 } : undefined;
}

function parseValue(s: string): number {
  if (s === '+Inf') return Infinity;
  if (s === '-Inf') return -Infinity;
  return Number(s);
}

/** Parses exposition text, keeping the samples whose name passes `keep`; malformed lines are skipped. */
export function parsePromText(text: string, keep: (name: string) => boolean = () => true): TextSample[] {
  const out: TextSample[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const name = NAME.exec(line)?.[0];
    if (name === undefined || !keep(name)) continue;
    let rest = name.length;
    let labels: Record<string, string> = {};
    if (line[rest] === '{') {
      const parsed = parseLabels(line, rest + 1);
      if (parsed === undefined) continue;
      labels = parsed.labels;
      rest = parsed.end;
    }
    const value = parseValue(line.slice(rest).trim().split(/\s+/)[0] ?? '');
    if (!Number.isNaN(value) || line.slice(rest).trim().startsWith('NaN')) out.push({ name, labels, value, key: line.slice(0, rest) });
  }
  return out;
}
