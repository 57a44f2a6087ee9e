import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import { Readable } from 'node:stream';
import { H1Request } from './h1/h1-request';
import type { H1Response } from './h1/h1-response';

/**
 * A downstream exchange from either codec: the proxy's HTTP/1.1 connections (h1/) or the h2c server
 * (Node's HTTP/2 compatibility API offers the same request/response surface). `http2` marks the
 * latter, where connection-specific headers are forbidden and trailers can be sent. Node's own
 * IncomingMessage/ServerResponse are accepted too (tests drive the pipeline with them).
 */
export type DownstreamRequest = H1Request | IncomingMessage | Http2ServerRequest;
export interface DownstreamResponse {
  readonly headersSent: boolean;
  writeHead(status: number, headers: OutgoingHttpHeaders): unknown;
  write(chunk: Buffer): boolean;
  end(): unknown;
  end(chunk: string): unknown;
  destroy(): void;
  once(event: 'close' | 'drain', listener: () => void): unknown;
}

/** The codecs' responses all have that surface (checked here, at compile time). */
export type AnyDownstreamResponse = H1Response | ServerResponse | Http2ServerResponse;
const _surface = (res: AnyDownstreamResponse): DownstreamResponse => res;
void _surface;

/** The request body as a stream (only called when the head announced one). */
export function bodyOf(req: DownstreamRequest): Readable {
  if (req instanceof H1Request) return req.body ?? Readable.from([]);
  return req;
}

export function isHttp2(req: DownstreamRequest): req is Http2ServerRequest {
  return req.httpVersionMajor === 2;
}

function isHttp2Response(res: DownstreamResponse): res is DownstreamResponse & Http2ServerResponse {
  return 'stream' in res;
}

/** One body chunk; false = wait for 'drain'. */
export function writeBody(res: DownstreamResponse, chunk: Buffer): boolean {
  return res.write(chunk);
}

/** A response that is only a header block (HTTP/2: one HEADERS frame with END_STREAM, gRPC's trailers-only). */
export function respondHeadersOnly(res: DownstreamResponse, status: number, headers: OutgoingHttpHeaders): void {
  if (isHttp2Response(res)) {
    res.stream.respond({ ...headers, ':status': status }, { endStream: true });
    return;
  }
  res.writeHead(status, headers);
  res.end();
}

/** Ends the response, with trailers where the codec can carry them (HTTP/2: gRPC's grpc-status). */
export function endResponse(res: DownstreamResponse, trailers: IncomingHttpHeaders | undefined): void {
  if (trailers !== undefined && isHttp2Response(res)) res.addTrailers(trailers as Record<string, string>);
  res.end();
}
