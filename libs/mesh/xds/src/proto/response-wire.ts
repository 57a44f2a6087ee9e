import type { PackedAny } from './codec';
import { GRPC_PREFIX, grpcFrame } from './grpc-frame';
import { lengthDelimited, stringField } from './wire-writer';

/**
 * envoy.service.discovery.v3.DiscoveryResponse written by hand: the one message the control plane
 * sends thousands of times per change. Its resources are already-encoded Anys shared by every proxy
 * with the same selection, so their bytes (field 2) are built once per resource list and each
 * response only adds version, type URL and nonce around them. Fields, in number order:
 *   1 version_info (string) · 2 resources (repeated Any{1 type_url, 2 value}) · 4 type_url · 5 nonce ·
 *   6 control_plane (ControlPlane{1 identifier}). Empty strings are omitted (proto3 defaults).
 */

function anyMessage(any: PackedAny): Buffer {
  return Buffer.concat([stringField(1, any.type_url), any.value.length === 0 ? Buffer.alloc(0) : lengthDelimited(2, any.value)]);
}

/** Field 2 for a resource list, memoised by the list's identity (lists are immutable once sent). */
const resourceFields = new WeakMap<readonly PackedAny[], Buffer>();

function resourcesField(resources: readonly PackedAny[]): Buffer {
  let bytes = resourceFields.get(resources);
  if (bytes === undefined) {
    bytes = Buffer.concat(resources.map((r) => lengthDelimited(2, anyMessage(r))));
    resourceFields.set(resources, bytes);
  }
  return bytes;
}

export interface DiscoveryResponseFields {
  readonly version_info: string;
  readonly resources: readonly PackedAny[];
  readonly type_url: string;
  readonly nonce: string;
  readonly control_plane?: { readonly identifier: string };
}

/**
 * The last whole message per resource list. A push round gives every proxy with the same selection
 * the same nonce (proxy-connection.ts), so its thousands of responses are one buffer. The buffer is
 * built with its 5-byte gRPC frame prefix in front (`grpcFramed`), so the server can hand the same
 * framed bytes to every stream instead of copying them into a new frame per stream (preframed.ts).
 */
const lastMessages = new WeakMap<readonly PackedAny[], { readonly key: string; readonly bytes: Buffer }>();
const framedOf = new WeakMap<Buffer, Buffer>();

/** The gRPC length-prefixed frame whose payload is `message`, if it was built by writeDiscoveryResponse. */
export function grpcFramed(message: Buffer): Buffer | undefined {
  return framedOf.get(message);
}

/** One message from its fields, built inside its gRPC frame and registered for `grpcFramed`. */
export function framedMessage(parts: readonly Buffer[]): Buffer {
  const frame = grpcFrame(parts);
  const bytes = frame.subarray(GRPC_PREFIX);
  framedOf.set(bytes, frame);
  return bytes;
}

export function writeDiscoveryResponse(r: DiscoveryResponseFields): Buffer {
  const key = `${r.version_info}\u0000${r.type_url}\u0000${r.nonce}\u0000${r.control_plane?.identifier ?? ''}`;
  const last = lastMessages.get(r.resources);
  if (last?.key === key) return last.bytes;
  const parts = [stringField(1, r.version_info), resourcesField(r.resources), stringField(4, r.type_url), stringField(5, r.nonce)];
  if (r.control_plane !== undefined) parts.push(lengthDelimited(6, stringField(1, r.control_plane.identifier)));
  const bytes = framedMessage(parts);
  lastMessages.set(r.resources, { key, bytes });
  return bytes;
}
