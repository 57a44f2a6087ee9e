import { BaseServerInterceptingCall } from '@grpc/grpc-js/build/src/server-interceptors';
import { grpcFrame } from '../proto/grpc-frame';
import { grpcFramed } from '../proto/response-wire';

/**
 * Zero-copy sends for shared DiscoveryResponses. grpc-js frames every message it sends by allocating
 * `5 + length` bytes and copying the serialized message in: for one change in a mesh of 1000 proxies
 * with 500 services that is ~200 MB allocated, copied and collected, for bytes that are identical
 * across streams. response-wire.ts builds each shared message with its frame prefix already in front;
 * this replaces grpc-js's (private) `serializeMessage` so such a message is written as its ready
 * frame, shared by every stream (HTTP/2 writes do not modify it). Any other message is framed exactly
 * as grpc-js does. The unit test pins the private method's existence and the bytes on the wire, so a
 * grpc-js upgrade that changes either fails there, not in production.
 */

interface SerializingCall {
  readonly handler: { serialize(value: unknown): Buffer };
}
type SerializeMessage = (this: SerializingCall, value: unknown) => Buffer;

const MARK = Symbol.for('trellis.preframedSends');

function serializeMessage(this: SerializingCall, value: unknown): Buffer {
  const message = this.handler.serialize(value);
  return grpcFramed(message) ?? grpcFrame([message]);
}

/** Installs the shared-frame send path once per process; false if grpc-js no longer has the hook. */
export function installPreframedSends(): boolean {
  const proto = BaseServerInterceptingCall.prototype as unknown as Record<string | symbol, unknown>;
  if (proto[MARK] === true) return true;
  if (typeof proto['serializeMessage'] !== 'function') return false;
  proto['serializeMessage'] = serializeMessage satisfies SerializeMessage;
  proto[MARK] = true;
  return true;
}
