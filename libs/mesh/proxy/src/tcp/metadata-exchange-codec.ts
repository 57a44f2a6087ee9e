import { PEER_METADATA_HEADER, PEER_METADATA_ID_HEADER, workloadFromStruct, workloadStruct } from '../stats/peer-metadata-codec';
import { decodeStruct, encodeStruct, type WireStruct } from '../stats/struct-wire';
import { type WorkloadInfo, localWorkload } from '../stats/workload';
import type { ProxyNode } from '../proxy-node';

/**
 * istio/proxy's TCP metadata exchange on the wire (metadata_exchange.cc, _initial_header.h): an 8-byte
 * header {magic 0x3D230467, data_size} in network byte order, then `data_size` bytes of a
 * google.protobuf.Any { type_url = 1: google.protobuf.Struct, value = 2: Struct bytes } whose Struct
 * holds `x-envoy-peer-metadata` (the node metadata, stats/peer-metadata-codec.ts's workload Struct) and
 * `x-envoy-peer-metadata-id` (the node id). Pure: encode once per node, read incrementally per
 * connection (ExchangeReader), decoded peers interned (PeerInterner) so the stats key series by them.
 */
export const MX_MAGIC = 0x3d230467;
export const MX_HEADER_BYTES = 8;
export const STRUCT_TYPE_URL = 'type.googleapis.com/google.protobuf.Struct';
/** Larger payloads are not read (bounded memory); Envoy has no limit, real node metadata is a few KiB. */
export const MX_MAX_PAYLOAD = 1 << 20;

function lengthPrefixed(tag: number, body: Buffer): Buffer {
  const head: number[] = [tag];
  let n = body.length;
  while (n > 0x7f) {
    head.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  head.push(n);
  return Buffer.concat([Buffer.from(head), body]);
}

/** The bytes a proxy writes first: header + Any(Struct{metadata, id}). */
export function encodeExchange(node: ProxyNode): Buffer {
  const data: Record<string, string | WireStruct> = { [PEER_METADATA_HEADER]: workloadStruct(localWorkload(node)) };
  if (node.id !== '') data[PEER_METADATA_ID_HEADER] = node.id;
  const any = Buffer.concat([lengthPrefixed(0x0a, Buffer.from(STRUCT_TYPE_URL, 'utf8')), lengthPrefixed(0x12, encodeStruct(data))]);
  const header = Buffer.allocUnsafe(MX_HEADER_BYTES);
  header.writeUInt32BE(MX_MAGIC, 0);
  header.writeUInt32BE(any.length, 4);
  return Buffer.concat([header, any]);
}

const encoded = new WeakMap<ProxyNode, Buffer>();

/** encodeExchange, computed once per node. */
export function exchangeBytes(node: ProxyNode): Buffer {
  let b = encoded.get(node);
  if (b === undefined) encoded.set(node, (b = encodeExchange(node)));
  return b;
}

function varintAt(buf: Buffer, pos: number): [value: number, next: number] {
  let n = 0;
  for (let shift = 0; shift < 35 && pos < buf.length; shift += 7) {
    const b = buf[pos++] as number;
    n += (b & 0x7f) * 2 ** shift;
    if (b < 0x80) return [n, pos];
  }
  throw new RangeError('bad varint');
}

/** Any bytes → its Struct's peer fields; throws RangeError when it is not an Any of a Struct. */
export function decodeExchangePayload(any: Buffer): { readonly peer: WorkloadInfo | undefined; readonly id: string } {
  let typeUrl = '';
  let value: Buffer | undefined;
  for (let pos = 0; pos < any.length; ) {
    const [key, at] = varintAt(any, pos);
    if ((key & 7) !== 2) throw new RangeError(`Any field ${key >>> 3} wire type ${key & 7}`);
    const [len, from] = varintAt(any, at);
    if (from + len > any.length) throw new RangeError('truncated Any');
    if (key >>> 3 === 1) typeUrl = any.toString('utf8', from, from + len);
    else if (key >>> 3 === 2) value = any.subarray(from, from + len);
    pos = from + len;
  }
  if (typeUrl !== STRUCT_TYPE_URL) throw new RangeError(`Any of ${typeUrl}`);
  const s = decodeStruct(value ?? Buffer.alloc(0));
  const md = s[PEER_METADATA_HEADER];
  const id = s[PEER_METADATA_ID_HEADER];
  return { peer: typeof md === 'object' ? workloadFromStruct(md) : undefined, id: typeof id === 'string' ? id : '' };
}

const MAX_PEERS = 1000;

/** Decoded peers by payload bytes, one object per distinct peer; a quarter dropped when full (istio/proxy's MXCache rule). */
export class PeerInterner {
  private readonly peers = new Map<string, WorkloadInfo | null>();

  /** undefined: not an Any of a Struct (malformed), else the peer (null: the Struct named none). */
  lookup(payload: Buffer): WorkloadInfo | null | undefined {
    const key = payload.toString('latin1');
    let peer = this.peers.get(key);
    if (peer !== undefined) return peer;
    try {
      peer = decodeExchangePayload(payload).peer ?? null;
    } catch {
      return undefined;
    }
    if (this.peers.size >= MAX_PEERS) {
      let drop = MAX_PEERS / 4;
      for (const k of this.peers.keys()) if (drop-- > 0) this.peers.delete(k);
    }
    this.peers.set(key, peer);
    return peer;
  }
}
