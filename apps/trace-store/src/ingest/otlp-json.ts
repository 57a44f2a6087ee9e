/**
 * OTLP/HTTP JSON traces (`POST /v1/traces`, an ExportTraceServiceRequest) converted to Zipkin spans the
 * way the OpenTelemetry collector's Zipkin exporter does: service.name → localEndpoint, kinds mapped,
 * nanoseconds → microseconds, attributes → tags, events → annotations, an ERROR status → `error` tag.
 */
import { TrellisError } from '@trellis/shared';
import { normalizeSpanId, normalizeTraceId } from '../model/ids';
import type { Annotation, Endpoint, Span, SpanKind } from '../model/span';
import { attributeMap } from './otlp-attributes';
import { isObject, type JsonObject } from './json-fields';

const KINDS: Readonly<Record<string, SpanKind>> = {
  '2': 'SERVER', SPAN_KIND_SERVER: 'SERVER',
  '3': 'CLIENT', SPAN_KIND_CLIENT: 'CLIENT',
  '4': 'PRODUCER', SPAN_KIND_PRODUCER: 'PRODUCER',
  '5': 'CONSUMER', SPAN_KIND_CONSUMER: 'CONSUMER',
};

interface Scope {
  readonly service: string;
  readonly resourceTags: ReadonlyMap<string, string>;
  readonly scopeTags: ReadonlyMap<string, string>;
}

function list(obj: JsonObject, ...fields: string[]): JsonObject[] {
  for (const f of fields) if (Array.isArray(obj[f])) return (obj[f] as unknown[]).filter(isObject);
  return [];
}

/** Unix nanoseconds (a JSON string or number) → microseconds; undefined when absent or zero. */
function micros(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  if (!/^\d+$/.test(String(value))) throw new TrellisError('SPAN_INVALID', 'time should be unix nanoseconds', { value });
  const us = Number(BigInt(value) / 1000n);
  return us === 0 ? undefined : us;
}

function remoteEndpoint(attrs: ReadonlyMap<string, string>): Endpoint | undefined {
  const serviceName = attrs.get('peer.service')?.toLowerCase();
  const ip = attrs.get('network.peer.address') ?? attrs.get('net.peer.ip');
  const portText = attrs.get('network.peer.port') ?? attrs.get('net.peer.port') ?? attrs.get('server.port');
  const port = portText !== undefined && /^\d+$/.test(portText) ? Number(portText) : undefined;
  const ep: Endpoint = {
    ...(serviceName ? { serviceName } : {}),
    ...(ip !== undefined ? (ip.includes(':') ? { ipv6: ip } : { ipv4: ip }) : {}),
    ...(port ? { port } : {}),
  };
  return Object.keys(ep).length === 0 ? undefined : ep;
}

function annotations(events: JsonObject[]): Annotation[] {
  return events.flatMap((e) => {
    const timestamp = micros(e['timeUnixNano']);
    const attrs = attributeMap(e['attributes']);
    const name = typeof e['name'] === 'string' ? e['name'] : '';
    if (timestamp === undefined || name === '') return [];
    return [{ timestamp, value: attrs.size === 0 ? name : `${name}|${JSON.stringify(Object.fromEntries(attrs))}` }];
  });
}

function statusTags(status: unknown): Record<string, string> {
  if (!isObject(status)) return {};
  const code = status['code'];
  const message = typeof status['message'] === 'string' ? status['message'] : '';
  if (code === 2 || code === 'STATUS_CODE_ERROR') return { 'otel.status_code': 'ERROR', error: message };
  if (code === 1 || code === 'STATUS_CODE_OK') return { 'otel.status_code': 'OK' };
  return {};
}

function tags(span: JsonObject, scope: Scope, attrs: ReadonlyMap<string, string>): Record<string, string> | undefined {
  const out = { ...Object.fromEntries(scope.resourceTags), ...Object.fromEntries(scope.scopeTags), ...Object.fromEntries(attrs), ...statusTags(span['status']) };
  return Object.keys(out).length === 0 ? undefined : out;
}

function idField(span: JsonObject, field: string): string | undefined {
  const v = span[field];
  return typeof v === 'string' && v !== '' ? v.toLowerCase() : undefined;
}

function convertSpan(span: JsonObject, scope: Scope): Span {
  const traceId = idField(span, 'traceId');
  const id = idField(span, 'spanId');
  if (traceId === undefined || id === undefined) throw new TrellisError('SPAN_INVALID', 'traceId and spanId are required', {});
  const parent = idField(span, 'parentSpanId');
  const start = micros(span['startTimeUnixNano']);
  const end = micros(span['endTimeUnixNano']);
  const attrs = attributeMap(span['attributes']);
  const kind = KINDS[String(span['kind'] ?? '')];
  const name = typeof span['name'] === 'string' && span['name'] !== '' ? span['name'].toLowerCase() : undefined;
  const notes = annotations(list(span, 'events'));
  const remote = remoteEndpoint(attrs);
  const spanTags = tags(span, scope, attrs);
  return {
    traceId: normalizeTraceId(traceId),
    id: normalizeSpanId('spanId', id),
    ...(parent !== undefined && !/^0+$/.test(parent) ? { parentId: normalizeSpanId('parentSpanId', parent) } : {}),
    ...(kind !== undefined ? { kind } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(start !== undefined ? { timestamp: start } : {}),
    ...(start !== undefined && end !== undefined ? { duration: Math.max(1, end - start) } : {}),
    localEndpoint: { serviceName: scope.service },
    ...(remote !== undefined ? { remoteEndpoint: remote } : {}),
    ...(notes.length > 0 ? { annotations: notes } : {}),
    ...(spanTags !== undefined ? { tags: spanTags } : {}),
  };
}

function scopeOf(resource: JsonObject, scopeSpans: JsonObject): Scope {
  const resourceTags = attributeMap(isObject(resource['resource']) ? resource['resource']['attributes'] : undefined);
  const service = (resourceTags.get('service.name') ?? 'unknown_service').toLowerCase();
  resourceTags.delete('service.name');
  const scope = isObject(scopeSpans['scope']) ? scopeSpans['scope'] : isObject(scopeSpans['instrumentationLibrary']) ? scopeSpans['instrumentationLibrary'] : {};
  const scopeTags = new Map<string, string>();
  if (typeof scope['name'] === 'string' && scope['name'] !== '') scopeTags.set('otel.scope.name', scope['name']);
  if (typeof scope['version'] === 'string' && scope['version'] !== '') scopeTags.set('otel.scope.version', scope['version']);
  return { service, resourceTags, scopeTags };
}

/** Every span of an ExportTraceServiceRequest, or a SPAN_INVALID error naming the first bad one. */
export function decodeOtlpJson(text: string): Span[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new TrellisError('SPAN_INVALID', 'Expected an OTLP/JSON ExportTraceServiceRequest', { reason: String(err) });
  }
  if (!isObject(body)) throw new TrellisError('SPAN_INVALID', 'Expected an OTLP/JSON ExportTraceServiceRequest', {});
  return list(body, 'resourceSpans').flatMap((resource) =>
    list(resource, 'scopeSpans', 'instrumentationLibrarySpans').flatMap((scopeSpans) => {
      const scope = scopeOf(resource, scopeSpans);
      return list(scopeSpans, 'spans').map((span) => convertSpan(span, scope));
    }),
  );
}
