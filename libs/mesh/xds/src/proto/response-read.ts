import type { PackedAny } from './codec';
import type { DiscoveryResponseFields } from './response-wire';
import { decodeFailed } from './wire-decode';
import { WireReader } from './wire-reader';

/**
 * envoy.service.discovery.v3.DiscoveryResponse read by hand (the client's side of response-wire.ts):
 * 1 version_info · 2 resources (Any{1 type_url, 2 value}) · 4 type_url · 5 nonce; other fields
 * (canary, control_plane) are skipped. Resources stay packed; each value is a view into `bytes`,
 * decoded right after (wire-decode.ts) and not kept.
 */

/** A google.protobuf.Any whose value is a view into the response (decoded right after, not kept). */
export function readAny(r: WireReader): PackedAny {
  const end = r.payloadEnd();
  let typeUrl = '';
  let value: Buffer = Buffer.alloc(0);
  while (r.pos < end) {
    const tag = r.uint32();
    if (tag >>> 3 === 1) typeUrl = r.string();
    else if (tag >>> 3 === 2) {
      const valueEnd = r.payloadEnd();
      value = r.buf.subarray(r.pos, valueEnd);
      r.pos = valueEnd;
    } else r.skip(tag & 7);
  }
  if (r.pos !== end) throw new RangeError('resource overruns its length');
  return { type_url: typeUrl, value };
}

export function readDiscoveryResponse(bytes: Buffer): DiscoveryResponseFields {
  const r = new WireReader(bytes);
  const response = { version_info: '', resources: [] as PackedAny[], type_url: '', nonce: '' };
  try {
    while (r.pos < r.end) {
      const tag = r.uint32();
      const field = tag >>> 3;
      if (field === 1) response.version_info = r.string();
      else if (field === 2) response.resources.push(readAny(r));
      else if (field === 4) response.type_url = r.string();
      else if (field === 5) response.nonce = r.string();
      else r.skip(tag & 7);
    }
  } catch (err) {
    throw decodeFailed('envoy.service.discovery.v3.DiscoveryResponse', err);
  }
  return response;
}
