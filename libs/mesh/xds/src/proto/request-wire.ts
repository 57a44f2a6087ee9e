import { TrellisError } from '@trellis/shared';
import type { DiscoveryRequest, RpcStatus, XdsNode } from './discovery-types';
import { doubleField, lengthDelimited, messageField, stringField, varintField } from './wire-writer';

/**
 * envoy.service.discovery.v3.DiscoveryRequest written by hand, so the proxy's ADS client needs no
 * protobuf reflection (wire-schema.ts has the reading side). Field numbers:
 *   DiscoveryRequest: 1 version_info · 2 node · 3 resource_names · 4 type_url · 5 response_nonce · 6 error_detail
 *   Node: 1 id · 2 cluster · 3 metadata (Struct) · 4 locality{1 region, 2 zone, 3 sub_zone} · 6 user_agent_name · 10 client_features
 *   google.rpc.Status: 1 code · 2 message
 *   Struct: 1 fields (map entry {1 key, 2 Value}) · Value: 1 null · 2 number · 3 string · 4 bool · 5 struct · 6 list{1 values}
 */

function jsonValue(value: unknown): Buffer[] {
  if (value === null || value === undefined) return [varintField(1, 0)];
  if (typeof value === 'number') return [doubleField(2, value)];
  if (typeof value === 'string') return [lengthDelimited(3, Buffer.from(value, 'utf8'))];
  if (typeof value === 'boolean') return [varintField(4, value ? 1 : 0)];
  if (Array.isArray(value)) return [messageField(6, value.map((v) => messageField(1, jsonValue(v))))];
  if (typeof value === 'object') return [messageField(5, struct(value as Record<string, unknown>))];
  throw new TrellisError('XDS_BAD_STRUCT', 'Value cannot be stored in a protobuf Struct', { kind: typeof value });
}

function struct(object: Readonly<Record<string, unknown>>): Buffer[] {
  return Object.entries(object).map(([key, v]) => messageField(1, [stringField(1, key), messageField(2, jsonValue(v))]));
}

export function writeNode(n: XdsNode): Buffer[] {
  const parts = [stringField(1, n.id ?? ''), stringField(2, n.cluster ?? '')];
  if (n.metadata !== undefined) parts.push(messageField(3, struct(n.metadata)));
  if (n.locality !== undefined) {
    const l = n.locality;
    parts.push(messageField(4, [stringField(1, l['region'] ?? ''), stringField(2, l['zone'] ?? ''), stringField(3, l['sub_zone'] ?? '')]));
  }
  parts.push(stringField(6, n.user_agent_name ?? ''));
  for (const feature of n.client_features ?? []) parts.push(lengthDelimited(10, Buffer.from(feature, 'utf8')));
  return parts;
}

export function writeStatus(s: RpcStatus): Buffer[] {
  const code = s.code ?? 0;
  if (!Number.isInteger(code) || code < 0) throw new TrellisError('XDS_BAD_FIELD', 'Status code must be a non-negative integer', { path: 'error_detail.code' });
  return [code === 0 ? Buffer.alloc(0) : varintField(1, code), stringField(2, s.message ?? '')];
}

export function writeDiscoveryRequest(r: DiscoveryRequest): Buffer {
  const parts = [stringField(1, r.version_info ?? '')];
  if (r.node !== undefined) parts.push(messageField(2, writeNode(r.node)));
  for (const name of r.resource_names ?? []) parts.push(lengthDelimited(3, Buffer.from(name, 'utf8')));
  parts.push(stringField(4, r.type_url ?? ''), stringField(5, r.response_nonce ?? ''));
  if (r.error_detail !== undefined) parts.push(messageField(6, writeStatus(r.error_detail)));
  return Buffer.concat(parts);
}
