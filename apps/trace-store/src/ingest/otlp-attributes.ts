/** OTLP/JSON `AnyValue` and `KeyValue` lists (opentelemetry/proto/common/v1) read as Zipkin tag text. */
import { isObject, type JsonObject } from './json-fields';

function arrayText(values: unknown): string {
  const list = isObject(values) && Array.isArray(values['values']) ? values['values'] : [];
  return JSON.stringify(list.map((v: unknown) => anyValueText(v)));
}

function kvlistText(values: unknown): string {
  return JSON.stringify(Object.fromEntries(attributeEntries(isObject(values) ? values['values'] : undefined)));
}

/** The text of one AnyValue: scalars as written, arrays and maps as JSON (the collector's Zipkin exporter does the same). */
export function anyValueText(value: unknown): string {
  if (!isObject(value)) return '';
  if (typeof value['stringValue'] === 'string') return value['stringValue'];
  if (value['boolValue'] !== undefined) return String(value['boolValue']);
  if (value['intValue'] !== undefined) return String(value['intValue']);
  if (value['doubleValue'] !== undefined) return String(value['doubleValue']);
  if (value['bytesValue'] !== undefined) return String(value['bytesValue']);
  if (value['arrayValue'] !== undefined) return arrayText(value['arrayValue']);
  if (value['kvlistValue'] !== undefined) return kvlistText(value['kvlistValue']);
  return '';
}

export function attributeEntries(list: unknown): [string, string][] {
  if (!Array.isArray(list)) return [];
  return list
    .filter((kv: unknown): kv is JsonObject => isObject(kv) && typeof kv['key'] === 'string')
    .map((kv) => [kv['key'] as string, anyValueText(kv['value'])]);
}

export function attributeMap(list: unknown): Map<string, string> {
  return new Map(attributeEntries(list));
}
