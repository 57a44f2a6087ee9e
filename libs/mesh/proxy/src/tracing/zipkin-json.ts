import type { FinishedSpan, LocalEndpoint, SpanFormat, SpanRecord } from './span-context';
import { TagList, jsonKey, jsonString } from './tag-list';

/**
 * Zipkin API v2 JSON (`POST /api/v2/spans`, `application/json`), the fields Envoy's JsonV2Serializer
 * writes: traceId, parentId, id, name, kind, timestamp and duration as integer microseconds,
 * localEndpoint { serviceName, ipv4, port }, tags as strings. The local endpoint is escaped once per
 * reporter; a span costs one string built by appending.
 */
export function zipkinFormat(local: LocalEndpoint): SpanFormat {
  const endpoint = `,"localEndpoint":${JSON.stringify(localEndpoint(local))},"tags":{`;
  return { prefix: '[', suffix: ']', span: (s, tags) => zipkinSpan(s, tags, endpoint) };
}

function zipkinSpan(s: SpanRecord, tags: TagList, endpoint: string): string {
  let out = `{"traceId":"${s.traceId}",`;
  if (s.parentId !== undefined) out += `"parentId":"${s.parentId}",`;
  out += `"id":"${s.id}","kind":"${s.kind}","name":${jsonString(s.name)},`;
  out += `"timestamp":${Math.trunc(s.timestampUs)},"duration":${Math.max(1, Math.trunc(s.durationUs))}${endpoint}`;
  for (let i = 0; i < tags.length; i++) {
    if (i > 0) out += ',';
    out += `${jsonKey(tags.keys[i] as string)}:${jsonString(tags.values[i] as string)}`;
  }
  return `${out}}}`;
}

/** A whole batch at once (tests and tools): the same bytes the reporter sends for these spans. */
export function zipkinJson(spans: readonly FinishedSpan[], local: LocalEndpoint): string {
  const f = zipkinFormat(local);
  return f.prefix + spans.map((s) => f.span(s, TagList.from(s.tags))).join(',') + f.suffix;
}

function localEndpoint(local: LocalEndpoint): Record<string, string | number> {
  const e: Record<string, string | number> = {};
  if (local.serviceName !== '') e['serviceName'] = local.serviceName;
  if (local.ipv4 !== '') {
    e[local.ipv4.includes(':') ? 'ipv6' : 'ipv4'] = local.ipv4;
    e['port'] = 0;
  }
  return e;
}
