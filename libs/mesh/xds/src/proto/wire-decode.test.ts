import { isTrellisError } from '@trellis/shared';
import { packResource, unpackResource } from './codec';
import { ROUTER_TYPE } from '@trellis/mesh-envoy';
import { WireDecoder, decodeAnyValue } from './wire-decode';
import { FLAG_MAP, FLAG_REPEATED, type FieldSpec, type WireSchema } from './wire-schema';
import { envoyWireSchema } from './wire-schema-build';

/**
 * The lean decoder (wire-decode.ts) against the protobufjs path (codec.ts): random messages of every
 * Envoy type, encoded by protobufjs, must decode to the same contract-shaped objects.
 */
const schema: WireSchema = envoyWireSchema();
const URL = 'type.googleapis.com/';

/** mulberry32: a small seeded PRNG, so a failure reproduces. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LONG_KINDS = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
/**
 * A map keyed by a 64-bit integer (only `google.api.expr`'s SourceInfo.positions, reached through the
 * RBAC protos' CEL conditions; istiod never sends it): protobufjs's toObject names such keys by its
 * internal 8-character long hash, the lean decoder by the decimal value, so the two cannot be compared.
 */
const hasLongKeys = (field: FieldSpec): boolean => (field[3] & FLAG_MAP) !== 0 && LONG_KINDS.has(String(field[5]));

class Generator {
  constructor(private readonly rnd: () => number) {}
  private int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  private pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }

  json(depth: number): unknown {
    const k = this.int(depth > 2 ? 4 : 6);
    if (k === 0) return null;
    if (k === 1) return this.pick([0, -1.5, 42, 1e300, -7]);
    if (k === 2) return this.pick(['', 'a', 'ünïcode', 'x'.repeat(200)]);
    if (k === 3) return this.rnd() < 0.5;
    if (k === 4) return Array.from({ length: this.int(3) }, () => this.json(depth + 1));
    return Object.fromEntries(Array.from({ length: this.int(3) }, (_v, i) => [`k${i}`, this.json(depth + 1)]));
  }

  scalar(kind: string, ref: string): unknown {
    switch (kind) {
      case 'string': return this.pick(['', 'reviews', 'ünï', 'a'.repeat(130)]);
      case 'bool': return this.rnd() < 0.5;
      case 'bytes': return Buffer.from(this.pick(['', 'abc', '\u0000\u00ff']), 'latin1');
      case 'double': return this.pick([0, 1.5, -2.25, 1e-300, Infinity, NaN]);
      case 'float': return this.pick([0, 0.5, -3, Infinity]);
      case 'int32': case 'sint32': case 'sfixed32': return this.pick([0, 1, -1, 2147483647, -2147483648, 300]);
      case 'uint32': case 'fixed32': return this.pick([0, 1, 4294967295, 128]);
      case 'int64': case 'sint64': case 'sfixed64': return this.pick([0, -1, 2 ** 40, -(2 ** 50), 9007199254740991]);
      case 'uint64': case 'fixed64': return this.pick([0, 1, 2 ** 33, 9007199254740991]);
      case 'enum': return this.pick(Object.values(schema.enums[ref] ?? { 0: 'X' }));
      default: throw new Error(`kind ${kind}`);
    }
  }

  message(name: string, depth: number): unknown {
    switch (name) {
      case 'google.protobuf.Struct': return Object.fromEntries(Array.from({ length: this.int(3) }, (_v, i) => [`f${i}`, this.json(depth)]));
      case 'google.protobuf.Value': return this.json(depth);
      case 'google.protobuf.ListValue': return [this.json(2)];
      case 'google.protobuf.Any': return this.any(depth);
    }
    const out: Record<string, unknown> = {};
    for (const field of schema.messages[name] ?? []) {
      if (hasLongKeys(field)) continue;
      if (this.rnd() < (depth === 0 ? 0.6 : 0.3) && (field[2] !== 'message' || depth < 4)) out[field[1]] = this.field(field, depth);
    }
    return out;
  }

  private any(depth: number): unknown {
    if (depth >= 4) return { '@type': ROUTER_TYPE };
    const names = Object.keys(schema.messages).filter((n) => !n.startsWith('google.protobuf.'));
    const name = this.pick(names);
    return { '@type': URL + name, ...(this.message(name, depth + 2) as object) };
  }

  private field(field: FieldSpec, depth: number): unknown {
    const [, , kind, flags, ref, keyKind] = field;
    const one = (): unknown => (kind === 'message' ? this.message(ref, depth + 1) : this.scalar(kind, ref));
    if (flags & FLAG_MAP) {
      const key = (i: number): string => (keyKind === 'string' ? `key${i}` : keyKind === 'bool' ? String(i === 0) : String(i + 1));
      return Object.fromEntries(Array.from({ length: 1 + this.int(2) }, (_v, i) => [key(i), one()]));
    }
    if (flags & FLAG_REPEATED) return Array.from({ length: 1 + this.int(3) }, one);
    return one();
  }
}

const messageNames = Object.keys(schema.messages).filter((n) => !['google.protobuf.Struct', 'google.protobuf.Value', 'google.protobuf.ListValue', 'google.protobuf.Any'].includes(n));

describe('lean xDS decoding (wire-decode.ts)', () => {
  it('covers every Envoy type the control plane can encode', () => {
    expect(messageNames.length).toBeGreaterThan(500);
    expect(schema.messages['envoy.config.cluster.v3.Cluster']!.length).toBeGreaterThan(40);
  });

  it.each([1, 2, 3])('decodes random messages of every type exactly as the protobufjs path does (seed %i)', (seed) => {
    const gen = new Generator(prng(seed));
    const decoder = new WireDecoder(schema);
    let compared = 0;
    for (const name of messageNames) {
      const object = gen.message(name, 0) as Record<string, unknown>;
      const packed = packResource(URL + name, object);
      const expected = unpackResource(packed);
      expect({ name, decoded: decoder.decode(name, packed.value) }).toEqual({ name, decoded: expected });
      compared++;
    }
    expect(compared).toBe(messageNames.length);
  });

  it('reads packed and unpacked repeated scalars, and skips unknown fields of every wire type', () => {
    const decoder = new WireDecoder(schema);
    // RetryPolicy.retriable_status_codes (7, repeated uint32): packed [503, 504], then unpacked 429.
    const packed = Buffer.from([0x3a, 0x04, 0xf7, 0x03, 0xf8, 0x03, 0x38, 0xad, 0x03]);
    const unknown = Buffer.from([0xf8, 0x7f, 0x01, 0xf9, 0x7f, 1, 2, 3, 4, 5, 6, 7, 8, 0xfa, 0x7f, 0x01, 0x00, 0xfd, 0x7f, 1, 2, 3, 4]);
    expect(decoder.decode('envoy.config.route.v3.RetryPolicy', Buffer.concat([unknown, packed]))).toMatchObject({ retriable_status_codes: [503, 504, 429] });
  });

  it('keeps an Any of an unknown type packed, and fills enum and wrapper defaults', () => {
    const decoder = new WireDecoder(schema);
    // Filter{name: "x", typed_config: Any{type_url: ".../not.a.Type", value: 0x08 0x01}}
    const typeUrl = Buffer.from(`${URL}not.a.Type`);
    const any = Buffer.concat([Buffer.from([0x0a, typeUrl.length]), typeUrl, Buffer.from([0x12, 0x02, 0x08, 0x01])]);
    const filter = Buffer.concat([Buffer.from([0x0a, 0x01, 0x78, 0x22, any.length]), any]);
    expect(decoder.decode('envoy.config.listener.v3.Filter', filter)).toEqual({ name: 'x', typed_config: { type_url: `${URL}not.a.Type`, value: Buffer.from([0x08, 0x01]) } });
    expect(decoder.decode('envoy.config.cluster.v3.Cluster', Buffer.from([0x1a, 0x00]))).toMatchObject({ lb_policy: 'ROUND_ROBIN', eds_cluster_config: {} });
    expect(decoder.decode('google.protobuf.UInt32Value', Buffer.alloc(0))).toEqual({ value: 0 });
  });

  it('rejects truncated input and unknown types with typed errors naming the type', () => {
    const bytes = packResource(`${URL}envoy.config.cluster.v3.Cluster`, { name: 'outbound|9080||reviews.default.svc.cluster.local' }).value;
    const caught = (fn: () => unknown): unknown => {
      try {
        fn();
      } catch (err) {
        return err;
      }
      return undefined;
    };
    const truncated = caught(() => decodeAnyValue(`${URL}envoy.config.cluster.v3.Cluster`, bytes.subarray(0, bytes.length - 3)));
    expect(isTrellisError(truncated) && truncated.code).toBe('XDS_DECODE_FAILED');
    expect(isTrellisError(truncated) && truncated.context).toMatchObject({ type: 'envoy.config.cluster.v3.Cluster', reason: expect.stringContaining('index out of range') });
    const unknown = caught(() => decodeAnyValue(`${URL}envoy.config.nope.v3.Nope`, bytes));
    expect(isTrellisError(unknown) && unknown.code).toBe('XDS_UNKNOWN_TYPE');
  });
});
