import type { SubstitutionFormatString } from '@trellis/mesh-envoy';
import { type Operator, type OperatorValue, SIMPLE_OPERATORS, headerOperator } from './command-operators';
import type { LogRecord } from './log-record';
import { startTimeOperator } from './start-time';

/** istiod's EnvoyTextLogFormat: Envoy's format when a FileAccessLog has no log_format (Istio writes it out). */
export const DEFAULT_TEXT_FORMAT =
  '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% ' +
  '%RESPONSE_CODE_DETAILS% %CONNECTION_TERMINATION_DETAILS% "%UPSTREAM_TRANSPORT_FAILURE_REASON%" %BYTES_RECEIVED% %BYTES_SENT% ' +
  '%DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" ' +
  '"%REQ(:AUTHORITY)%" "%UPSTREAM_HOST%" %UPSTREAM_CLUSTER_RAW% %UPSTREAM_LOCAL_ADDRESS% %DOWNSTREAM_LOCAL_ADDRESS% ' +
  '%DOWNSTREAM_REMOTE_ADDRESS% %REQUESTED_SERVER_NAME% %ROUTE_NAME%\n';

/** A format string compiled once into literal and operator parts. */
type Part = string | Operator;
export type Formatter = (r: LogRecord) => string;

const COMMAND = /^%([A-Z_0-9]+)(?:\(([^)]*)\))?(?::(\d+))?%/;

function operatorFor(name: string, arg: string | undefined, max: number | undefined): Operator {
  if (name === 'REQ' || name === 'RESP') {
    if (arg === undefined || arg === '') throw new Error(`${name} needs a header name`);
    return headerOperator(name, arg, max);
  }
  if (name === 'START_TIME') return startTimeOperator(arg);
  const op = SIMPLE_OPERATORS[name];
  if (op === undefined) throw new Error(`Not supported field in StreamInfo: ${name}`);
  if (max === undefined) return op;
  return (r) => {
    const v = op(r);
    return typeof v === 'string' ? v.slice(0, max) : v;
  };
}

/** Parses Envoy's substitution format text; throws Envoy's message for an invalid command. */
export function parseFormat(text: string): Part[] {
  const parts: Part[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%') {
      literal += text[i];
      continue;
    }
    const m = COMMAND.exec(text.slice(i));
    if (m === null) throw new Error(`Incorrect configuration: ${text}. Couldn't find valid command at position ${i}`);
    if (literal !== '') parts.push(literal);
    literal = '';
    parts.push(operatorFor(m[1] as string, m[2], m[3] === undefined ? undefined : Number(m[3])));
    i += m[0].length - 1;
  }
  if (literal !== '') parts.push(literal);
  return parts;
}

const text = (v: OperatorValue): string => (v === undefined ? '-' : typeof v === 'number' ? String(v) : v);

function textFormatter(parts: readonly Part[], omitEmpty: boolean): Formatter {
  return (r) => {
    let out = '';
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as Part;
      if (typeof p === 'string') out += p;
      else {
        const v = p(r);
        out += omitEmpty && v === undefined ? '' : text(v);
      }
    }
    return out;
  };
}

/** json_format: a value that is one operator keeps its type (numbers, null when unknown); other strings are text formats. */
function jsonFormatter(fields: Record<string, unknown>, omitEmpty: boolean): Formatter {
  const entries = Object.entries(fields).map(([k, v]): [string, unknown, Part[] | undefined] => [k, v, typeof v === 'string' ? parseFormat(v) : undefined]);
  return (r) => {
    const out: Record<string, unknown> = {};
    for (const [k, raw, parts] of entries) {
      if (parts === undefined) out[k] = raw;
      else if (parts.length === 1 && typeof parts[0] === 'function') {
        const v = parts[0](r);
        if (v !== undefined || !omitEmpty) out[k] = v ?? null;
      } else out[k] = textFormatter(parts, omitEmpty)(r);
    }
    return `${JSON.stringify(out)}\n`;
  };
}

/** A FileAccessLog's log_format compiled once; none = Istio's default TEXT line. Throws on invalid formats. */
export function compileFormat(f: SubstitutionFormatString | undefined): Formatter {
  const omit = f?.omit_empty_values === true;
  if (f?.json_format !== undefined) {
    if (f.json_format === null || typeof f.json_format !== 'object' || Array.isArray(f.json_format)) throw new Error('json_format must be a struct');
    return jsonFormatter(f.json_format, omit);
  }
  const inline = f?.text_format_source?.inline_string;
  return textFormatter(parseFormat(inline ?? DEFAULT_TEXT_FORMAT), omit);
}
