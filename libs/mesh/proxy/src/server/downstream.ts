import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';

/**
 * A downstream exchange from either codec: the HTTP/1.1 server or the h2c server (Node's HTTP/2
 * compatibility API offers the same request/response surface). `http2` marks the latter, where
 * connection-specific headers are forbidden and trailers can be sent.
 */
export type DownstreamRequest = IncomingMessage | Http2ServerRequest;
export type DownstreamResponse = ServerResponse | Http2ServerResponse;

export function isHttp2(req: DownstreamRequest): req is Http2ServerRequest {
  return req.httpVersionMajor === 2;
}

function isHttp2Response(res: DownstreamResponse): res is Http2ServerResponse {
  return 'stream' in res;
}

/** One body chunk; false = wait for 'drain'. */
export function writeBody(res: DownstreamResponse, chunk: Buffer): boolean {
  return isHttp2Response(res) ? res.write(chunk) : res.write(chunk);
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
