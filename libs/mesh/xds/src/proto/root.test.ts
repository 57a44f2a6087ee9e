import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as protobuf from 'protobufjs';
import * as envoy from '@trellis/mesh-envoy';
import { ISTIO_ALPN_PROTO, ISTIO_STATS_PROTO, envoyDescriptorJson, envoyRoot, rootFromDescriptor } from './root';
import { wireSchemaOf } from './wire-schema-build';

/** Every message field and enum value of a root, as comparable lines (what encoding depends on). */
function schema(ns: protobuf.NamespaceBase, out: string[] = []): string[] {
  for (const o of ns.nestedArray) {
    if (o instanceof protobuf.Type) {
      for (const f of o.fieldsArray) out.push(`${f.fullName} ${f.id} ${f.type} ${f.repeated} ${f instanceof protobuf.MapField ? f.keyType : ''} ${f.packed} ${f.partOf?.name ?? ''}`);
    } else if (o instanceof protobuf.Enum) {
      out.push(`${o.fullName} ${JSON.stringify(o.values)}`);
    }
    if (o instanceof protobuf.Namespace) schema(o, out);
  }
  return out;
}

/** The build ships the parsed protos as JSON (envoy-descriptor.json); it must be the same schema. */
describe('prebuilt Envoy descriptor', () => {
  const json = envoyDescriptorJson();
  const fromJson = rootFromDescriptor(json);

  it('describes every message field and enum value exactly as the parsed protos', () => {
    const parsed = schema(envoyRoot());
    expect(parsed.length).toBeGreaterThan(2000);
    expect(schema(fromJson).sort()).toEqual(parsed.sort());
  });

  it('encodes and decodes Envoy resources exactly like the parsed protos', () => {
    const name = 'envoy.config.cluster.v3.Cluster';
    const cluster = {
      name: 'outbound|9080|v1|reviews.default.svc.cluster.local',
      type: 'EDS',
      connect_timeout: { seconds: 10, nanos: 0 },
      lb_policy: 'LEAST_REQUEST',
      circuit_breakers: { thresholds: [{ max_connections: { value: 1 }, max_pending_requests: { value: 1 } }] },
      outlier_detection: { consecutive_5xx: { value: 1 }, interval: { seconds: 1, nanos: 0 } },
      metadata: { filter_metadata: { istio: { fields: { subset: { string_value: 'v1' } } } } },
    };
    const parsedType = envoyRoot().lookupType(name);
    const jsonType = fromJson.lookupType(name);
    const a = Buffer.from(parsedType.encode(parsedType.fromObject(cluster)).finish());
    const b = Buffer.from(jsonType.encode(jsonType.fromObject(cluster)).finish());
    expect(b.equals(a)).toBe(true);
    expect(jsonType.toObject(jsonType.decode(a), { enums: String })).toEqual(parsedType.toObject(parsedType.decode(a), { enums: String }));
    expect(fromJson.lookupType('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager').fieldsArray.length).toBeGreaterThan(40);
  });

  it('knows every type URL the Envoy contract names (an Any the control plane cannot encode is never pushed)', () => {
    const urls = Object.values(envoy).flatMap((v) => (typeof v === 'string' ? [v] : Array.isArray(v) ? v : typeof v === 'object' ? Object.values(v as object) : []));
    const names = urls.filter((u): u is string => typeof u === 'string' && u.startsWith(envoy.TYPE_PREFIX) && u.length > envoy.TYPE_PREFIX.length);
    expect(names.length).toBeGreaterThan(15);
    const missing = names.filter((u) => fromJson.lookup(u.slice(envoy.TYPE_PREFIX.length)) === null);
    expect(missing).toEqual([]);
  });

  it('gives the lean decoder the same wire schema as the parsed protos', () => {
    expect(wireSchemaOf(fromJson)).toEqual(wireSchemaOf(envoyRoot()));
  });
});

describe('Istio protos in the root', () => {
  it('embeds istio-alpn.proto as written', () => {
    expect(ISTIO_ALPN_PROTO).toBe(readFileSync(path.join(__dirname, 'istio-alpn.proto'), 'utf8'));
  });

  it("encodes istio.alpn's FilterConfig with istio/api's field numbers", () => {
    const type = envoyRoot().lookupType('istio.envoy.config.filter.http.alpn.v2alpha1.FilterConfig');
    const config = { alpn_override: [{ upstream_protocol: 'HTTP11', alpn_override: ['istio-http/1.1'] }] };
    const bytes = Buffer.from(type.encode(type.fromObject(config)).finish());
    // alpn_override (1, LEN) { upstream_protocol (1, VARINT) = HTTP11, alpn_override (2, LEN) "istio-http/1.1" }
    const inner = Buffer.concat([Buffer.from([0x08, 0x01, 0x12, 14]), Buffer.from('istio-http/1.1')]);
    expect(bytes).toEqual(Buffer.concat([Buffer.from([0x0a, inner.length]), inner]));
  });
  it('embeds istio-stats.proto as written', () => {
    expect(ISTIO_STATS_PROTO).toBe(readFileSync(path.join(__dirname, 'istio-stats.proto'), 'utf8'));
  });

  it("encodes istio.stats' PluginConfig with istio/proxy's field numbers", () => {
    const type = envoyRoot().lookupType('stats.PluginConfig');
    const config = { disable_host_header_fallback: true, reporter: 'SERVER_GATEWAY', metrics: [{ name: 'requests_total', drop: true }] };
    const bytes = Buffer.from(type.encode(type.fromObject(config)).finish());
    // disable_host_header_fallback (6, VARINT) 1; metrics (8, LEN) { name (2, LEN) "requests_total", drop (5, VARINT) 1 }; reporter (10, VARINT) 1
    const metric = Buffer.concat([Buffer.from([0x12, 14]), Buffer.from('requests_total'), Buffer.from([0x28, 0x01])]);
    expect(bytes).toEqual(Buffer.concat([Buffer.from([0x30, 0x01, 0x42, metric.length]), metric, Buffer.from([0x50, 0x01])]));
  });
});
