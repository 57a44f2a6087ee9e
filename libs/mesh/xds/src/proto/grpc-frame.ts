/** gRPC's length-prefixed message framing (compressed flag, 4-byte big-endian length, payload). */
export const GRPC_PREFIX = 5;

/** One uncompressed frame holding `parts` back to back, in a single allocation. */
export function grpcFrame(parts: readonly Buffer[]): Buffer {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = Buffer.allocUnsafe(GRPC_PREFIX + length);
  out[0] = 0; // not compressed
  out.writeUInt32BE(length, 1);
  let at = GRPC_PREFIX;
  for (const p of parts) at += p.copy(out, at);
  return out;
}
