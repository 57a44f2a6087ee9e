import { TrellisError, errorMessage, isTrellisError } from '@trellis/shared';
import { messageType, typeOfUrl, type protobuf } from './root';
import { decodeFailed } from './wire-decode';
import { fromWire, toWire } from './wire-shape';

/** A packed google.protobuf.Any as it travels inside a DiscoveryResponse. */
export interface PackedAny {
  readonly type_url: string;
  readonly value: Buffer;
}

/** Resources: nested Any expanded to `{'@type': ...}`. */
const RESOURCE_CONVERSION: protobuf.IConversionOptions = { enums: String, longs: Number, json: true };
/** Discovery messages: Any stays packed ({type_url, value: Buffer}). */
const ENVELOPE_CONVERSION: protobuf.IConversionOptions = { enums: String, longs: Number };

function encodeWith(type: protobuf.Type, object: Record<string, unknown>, what: string): Buffer {
  try {
    const wire = toWire(type, object, what);
    return Buffer.from(type.encode(type.fromObject(wire as Record<string, unknown>)).finish());
  } catch (err) {
    if (isTrellisError(err)) throw err;
    throw new TrellisError('XDS_ENCODE_FAILED', 'Cannot encode message', { type: what, reason: errorMessage(err) }, { cause: err });
  }
}

function decodeWith(type: protobuf.Type, bytes: Uint8Array, options: protobuf.IConversionOptions, what: string): Record<string, unknown> {
  try {
    const object = type.toObject(type.decode(bytes), options);
    return fromWire(type, object, what) as Record<string, unknown>;
  } catch (err) {
    throw decodeFailed(what, err);
  }
}

/** Encodes a contract-shaped resource as an Any of `typeUrl`. */
export function packResource(typeUrl: string, object: Record<string, unknown>): PackedAny {
  const type = typeOfUrl(typeUrl);
  const { '@type': _ignored, ...fields } = object;
  return { type_url: typeUrl, value: encodeWith(type, fields, type.fullName.slice(1)) };
}

/** Decodes an Any into the contract shape (without an outer `@type`). */
export function unpackResource(any: { type_url: string; value: Uint8Array }): Record<string, unknown> {
  const type = typeOfUrl(any.type_url);
  return decodeWith(type, any.value, RESOURCE_CONVERSION, type.fullName.slice(1));
}

/** Encodes any loaded message (`envoy.service.discovery.v3.DiscoveryRequest`, ...). */
export function encodeMessage(fullName: string, object: Record<string, unknown>): Buffer {
  return encodeWith(messageType(fullName), object, fullName);
}

/** Decodes any loaded message; nested Any stay packed. */
export function decodeMessage(fullName: string, bytes: Uint8Array): Record<string, unknown> {
  return decodeWith(messageType(fullName), bytes, ENVELOPE_CONVERSION, fullName);
}
