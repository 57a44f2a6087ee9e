/** Decodes a Zipkin v2 JSON span list (`POST /api/v2/spans`) with Zipkin's validation and normalisation. */
import { TrellisError } from '@trellis/shared';
import { normalizeSpanId, normalizeTraceId } from '../model/ids';
import { SPAN_KINDS, type Annotation, type Endpoint, type Span, type SpanKind } from '../model/span';
import { isObject, malformed, optionalBoolean, optionalCount, optionalString, scalarText, type JsonObject } from './json-fields';

function endpoint(field: string, value: unknown): Endpoint | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw malformed(field, 'an object', value);
  const serviceName = optionalString(value, 'serviceName')?.toLowerCase();
  const ipv4 = optionalString(value, 'ipv4');
  const ipv6 = optionalString(value, 'ipv6');
  const port = optionalCount(value, 'port');
  const out: Endpoint = {
    ...(serviceName ? { serviceName } : {}),
    ...(ipv4 ? { ipv4 } : {}),
    ...(ipv6 ? { ipv6 } : {}),
    ...(port !== undefined ? { port } : {}),
  };
  return Object.keys(out).length === 0 ? undefined : out;
}

function annotations(value: unknown): Annotation[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw malformed('annotations', 'an array', value);
  const out = value.map((a: unknown): Annotation => {
    if (!isObject(a)) throw malformed('annotations', 'objects', a);
    const timestamp = optionalCount(a, 'timestamp');
    const text = optionalString(a, 'value');
    if (timestamp === undefined || !text) throw malformed('annotations', 'a timestamp and a value', a);
    return { timestamp, value: text };
  });
  return out.length === 0 ? undefined : out;
}

function tags(value: unknown): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw malformed('tags', 'an object', value);
  const entries = Object.entries(value).map(([k, v]) => [k, scalarText(`tags.${k}`, v)] as const);
  return entries.length === 0 ? undefined : Object.fromEntries(entries);
}

function kind(obj: JsonObject): SpanKind | undefined {
  const value = optionalString(obj, 'kind');
  if (value === undefined) return undefined;
  if (!(SPAN_KINDS as readonly string[]).includes(value)) throw malformed('kind', SPAN_KINDS.join('|'), value);
  return value as SpanKind;
}

function requiredId(obj: JsonObject, field: 'traceId' | 'id'): string {
  const value = optionalString(obj, field);
  if (value === undefined) throw new TrellisError('SPAN_INVALID', `${field} is required`, { field });
  return field === 'traceId' ? normalizeTraceId(value) : normalizeSpanId(field, value);
}

/** An all-zero parentId means root, as in Zipkin. */
function parentId(obj: JsonObject): string | undefined {
  const value = optionalString(obj, 'parentId');
  if (value === undefined || value === '' || /^0+$/.test(value)) return undefined;
  return normalizeSpanId('parentId', value);
}

function compact(span: Record<string, unknown>): Span {
  for (const key of Object.keys(span)) if (span[key] === undefined) delete span[key];
  return span as unknown as Span;
}

export function decodeSpan(value: unknown): Span {
  if (!isObject(value)) throw malformed('span', 'an object', value);
  const name = optionalString(value, 'name')?.toLowerCase();
  return compact({
    traceId: requiredId(value, 'traceId'),
    parentId: parentId(value),
    id: requiredId(value, 'id'),
    kind: kind(value),
    name: name === '' ? undefined : name,
    timestamp: optionalCount(value, 'timestamp'),
    duration: optionalCount(value, 'duration'),
    debug: optionalBoolean(value, 'debug') === true ? true : undefined,
    shared: optionalBoolean(value, 'shared') === true ? true : undefined,
    localEndpoint: endpoint('localEndpoint', value['localEndpoint']),
    remoteEndpoint: endpoint('remoteEndpoint', value['remoteEndpoint']),
    annotations: annotations(value['annotations']),
    tags: tags(value['tags']),
  });
}

/** The whole list or nothing: one bad span rejects the message (Zipkin answers 400 and stores none). */
export function decodeSpanList(text: string): Span[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TrellisError('SPAN_INVALID', 'Expected a JSON_V2 encoded list of spans', { reason: String(err) });
  }
  if (!Array.isArray(parsed)) throw new TrellisError('SPAN_INVALID', 'Expected a JSON_V2 encoded list of spans', {});
  return parsed.map((s: unknown, index) => {
    try {
      return decodeSpan(s);
    } catch (err) {
      if (err instanceof TrellisError) throw new TrellisError(err.code, err.message, { ...err.context, index });
      throw err;
    }
  });
}
