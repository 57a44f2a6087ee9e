import type { Socket } from 'node:net';
import { DEFAULT_SNIFF_LIMITS, inspect, type SniffLimits, type SniffResult } from './sniff';

/*
 * The socket side of sniff.ts: read a connection's first bytes without consuming them, as Envoy's
 * listener filters peek. Like codec/codec-sniff.ts, it reads with 'data' events, then pauses the
 * socket and `unshift`s every byte it read, so the next stage (a codec, a TCP proxy) reads the stream
 * from its first byte: an HTTP/2 session reads a paused socket itself, anything else resumes it.
 */

/** Envoy's listener_filters_timeout default. */
export const LISTENER_FILTERS_TIMEOUT_MS = 15_000;

export interface SniffSocketOptions {
  /** A peer that has not been classified by then goes on as `opaque` (continue_on_listener_filters_timeout); 0 = no limit. */
  timeoutMs?: number;
  /** Bytes looked at in all; it caps both limits below. */
  maxBytes?: number;
  limits?: Partial<SniffLimits>;
}

export interface SniffedSocket {
  /** Never `need-more`: undecided at the timeout or at the peer's end is `opaque`. */
  result: SniffResult;
  /** Every byte read. With `decided` and `timeout` they are back in the socket (unshifted): don't replay them. */
  bytes: Buffer;
  /** `closed`: the peer ended or the socket failed first; nothing is unshifted then (`bytes` is all there was). */
  reason: 'decided' | 'timeout' | 'closed';
}

function boundedLimits(options: SniffSocketOptions): SniffLimits {
  const limits = { ...DEFAULT_SNIFF_LIMITS, ...options.limits };
  const max = options.maxBytes ?? Math.max(limits.maxClientHelloBytes, limits.maxRequestLineBytes);
  return { maxClientHelloBytes: Math.min(max, limits.maxClientHelloBytes), maxRequestLineBytes: Math.min(max, limits.maxRequestLineBytes) };
}

/** Reads until `inspect` decides, the timeout fires or the peer goes away; resolves, never rejects. */
export function sniffFirstBytes(socket: Socket, options: SniffSocketOptions = {}): Promise<SniffedSocket> {
  const limits = boundedLimits(options);
  let bytes: Buffer = Buffer.alloc(0);
  return new Promise((resolve) => {
    const finish = (result: SniffResult, reason: SniffedSocket['reason']): void => {
      if (timer !== undefined) clearTimeout(timer);
      socket.off('data', onData).off('end', onClosed).off('close', onClosed).off('error', onClosed);
      socket.pause();
      if (reason !== 'closed' && bytes.length > 0) socket.unshift(bytes);
      resolve({ result: result.kind === 'need-more' ? { kind: 'opaque' } : result, bytes, reason });
    };
    const decide = (reason: SniffedSocket['reason']): void => finish(inspect(bytes, limits), reason);
    const onData = (chunk: Buffer): void => {
      // Re-inspected from the start on each chunk, as Envoy re-peeks; the bound caps the work.
      bytes = bytes.length === 0 ? chunk : Buffer.concat([bytes, chunk]);
      const result = inspect(bytes, limits);
      if (result.kind !== 'need-more') finish(result, 'decided');
    };
    const onClosed = (): void => decide('closed');
    const timeoutMs = options.timeoutMs ?? LISTENER_FILTERS_TIMEOUT_MS;
    const timer = timeoutMs > 0 ? setTimeout(() => decide('timeout'), timeoutMs) : undefined;
    socket.on('data', onData).once('end', onClosed).once('close', onClosed).once('error', onClosed);
    if (socket.destroyed) onClosed();
    else socket.resume();
  });
}
