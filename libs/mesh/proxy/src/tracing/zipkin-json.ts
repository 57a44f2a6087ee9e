import type { FinishedSpan, LocalEndpoint } from './span-context';

/**
 * Zipkin API v2 JSON (`POST /api/v2/spans`, `application/json`), the fields Envoy's JsonV2Serializer
 * writes: traceId, parentId, id, name, kind, timestamp and duration as integer microseconds,
 * localEndpoint { serviceName, ipv4, port }, tags as strings. Built at flush time, never per request.
 */
export function zipkinJson(spans: readonly FinishedSpan[], local: LocalEndpoint): string {
  const endpoint = JSON.stringify(localEndpoint(local));
  let out = '[';
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i] as FinishedSpan;
    if (i > 0) out += ',';
    out += `{"traceId":"${s.traceId}",`;
    if (s.parentId !== undefined) out += `"parentId":"${s.parentId}",`;
    out += `"id":"${s.id}","kind":"${s.kind}","name":${JSON.stringify(s.name)},`;
    out += `"timestamp":${Math.trunc(s.timestampUs)},"duration":${Math.max(1, Math.trunc(s.durationUs))},`;
    out += `"localEndpoint":${endpoint},"tags":${JSON.stringify(s.tags)}}`;
  }
  return `${out}]`;
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
