/**
 * PRIVATE-API SEAM (docs/architecture.md, "Private-API seam"): zero-copy sends of shared
 * DiscoveryResponses through grpc-js's private `serializeMessage` hook.
 *
 * Private API: `BaseServerInterceptingCall.prototype.serializeMessage(value)` of @grpc/grpc-js
 * (1.14), reached by the deep import `@grpc/grpc-js/build/src/server-interceptors` (not an export of
 * the package). grpc-js frames every message a server sends there, allocating `5 + length` bytes
 * and copying the serialized message in. response-wire.ts builds each shared message with its frame
 * prefix already in front (`grpcFramed`); the replacement hands grpc-js that ready frame, shared by
 * every stream (HTTP/2 writes do not modify it), and frames any other message exactly as grpc-js does.
 *
 * Benchmark that justifies it (commit 0b75f36, `npm run bench:control-plane`): 1000 proxies × 500
 * services, control-plane CPU per change 736 → 300 ms (~200 MB less allocated, copied and collected).
 *
 * Tests that pin it: `unsafe/grpc-js-preframed.test.ts` (the module and method exist, the original
 * frames as replaced here, grpc-js still calls it for every server send, the shared frame reaches real
 * streams): a grpc-js upgrade that changes any of that fails CI there, not in production.
 *
 * Fallback: `detectPreframedHook()` loads and probes it once (feature detection, never a crash); when
 * it is missing or not of the expected shape, or when the ADS server runs with `privateApis: false`
 * (`--private-apis off`, `TRELLIS_PRIVATE_APIS=off`), the hook is simply not installed: grpc-js frames
 * each message itself, byte-identical on the wire (`server/preframed.test.ts` runs both paths).
 */
import { grpcFrame } from '../proto/grpc-frame';
import { grpcFramed } from '../proto/response-wire';

interface SerializingCall {
  readonly handler: { serialize(value: unknown): Buffer };
}
type SerializeMessage = (this: SerializingCall, value: unknown) => Buffer;

/** The prototype whose `serializeMessage` is replaced. */
export type HookTarget = Record<string | symbol, unknown>;

export type Detection<T> = { readonly ok: true; readonly api: T } | { readonly ok: false; readonly reason: string };

const MODULE = '@grpc/grpc-js/build/src/server-interceptors';
/** The original, kept on the prototype under this symbol while ours is installed. */
const ORIGINAL = Symbol.for('trellis.preframedSends.original');

function serializeMessage(this: SerializingCall, value: unknown): Buffer {
  const message = this.handler.serialize(value);
  return grpcFramed(message) ?? grpcFrame([message]);
}

/** grpc-js's own method: framing a known message as `[0, length BE32, bytes]`, and called by sendMessage. */
function shapeProblem(proto: HookTarget): string | undefined {
  const original = (proto[ORIGINAL] ?? proto['serializeMessage']) as SerializeMessage | undefined;
  if (typeof original !== 'function') return 'BaseServerInterceptingCall.prototype.serializeMessage is not a function';
  const payload = Buffer.from('probe');
  const framed = original.call({ handler: { serialize: () => payload } }, undefined) as unknown;
  if (!Buffer.isBuffer(framed) || !framed.equals(grpcFrame([payload]))) return 'serializeMessage no longer returns the gRPC frame of handler.serialize(value)';
  const send = proto['sendMessage'];
  if (typeof send !== 'function' || !String(send).includes('this.serializeMessage(')) return 'sendMessage no longer calls this.serializeMessage';
  return undefined;
}

/** Feature detection over `load()` (the real one requires the grpc-js module); exported for tests. */
export function probePreframedHook(load: () => unknown): Detection<HookTarget> {
  try {
    const mod = load() as { BaseServerInterceptingCall?: { prototype?: HookTarget } } | null;
    const proto = mod?.BaseServerInterceptingCall?.prototype;
    if (proto === undefined || proto === null) return { ok: false, reason: `${MODULE}: no BaseServerInterceptingCall` };
    const problem = shapeProblem(proto);
    return problem === undefined ? { ok: true, api: proto } : { ok: false, reason: `${MODULE}: ${problem}` };
  } catch (err) {
    return { ok: false, reason: `${MODULE}: ${err instanceof Error ? err.message : String(err)}` };
  }
}

let detected: Detection<HookTarget> | undefined;

/** grpc-js's send hook if this grpc-js has it in the shape used here; probed once per process. */
export function detectPreframedHook(): Detection<HookTarget> {
  detected ??= probePreframedHook(() => require(MODULE));
  return detected;
}

/**
 * Installs the shared-frame send path (process-wide: grpc-js has one prototype) when `enabled` and
 * detected; otherwise makes sure grpc-js's own framing is in force. Returns the path in use.
 */
export function usePreframedSends(enabled: boolean): { readonly preframed: boolean; readonly reason?: string } {
  const hook = detectPreframedHook();
  if (!hook.ok) return { preframed: false, reason: hook.reason };
  const proto = hook.api;
  const installed = proto[ORIGINAL] !== undefined;
  if (!enabled) {
    if (installed) {
      proto['serializeMessage'] = proto[ORIGINAL];
      delete proto[ORIGINAL];
    }
    return { preframed: false, reason: 'private APIs disabled' };
  }
  if (!installed) {
    proto[ORIGINAL] = proto['serializeMessage'];
    proto['serializeMessage'] = serializeMessage satisfies SerializeMessage;
  }
  return { preframed: true };
}

/** Whether grpc-js currently sends through the hook (tests, diagnostics). */
export function preframedSendsInstalled(): boolean {
  const hook = detectPreframedHook();
  return hook.ok && hook.api[ORIGINAL] !== undefined;
}
