import { type IncomingMessage, type OutgoingHttpHeader, type OutgoingHttpHeaders, Server, ServerResponse, validateHeaderName, validateHeaderValue } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { codecReply } from './codec-replies';
import type { Http1Acceptor, Http1Connection, Http1Options } from './http1';

/**
 * The public-API fallback for the llhttp seam (unsafe/llhttp.ts): each downstream HTTP/1.1 socket is
 * handed to a `node:http` Server that never listens (`server.emit('connection', socket)`), whose
 * requests go to the same pipeline as H1Connection's (DownstreamRequest/Response admit
 * IncomingMessage/ServerResponse). Kept as close to H1Connection as http.Server allows: the same
 * max header size with the same 431/400 replies, the same idle rule (a socket with nothing in flight
 * closes after `idleTimeoutMs`, also between keep-alive requests), no request timeout, header fields
 * with CR/LF/NUL dropped rather than thrown, FIN aborting what is in flight, close() for drains.
 * Node serves pipelining, keep-alive, chunked/close-delimited framing, HEAD and 100-continue itself.
 */

function safeField(name: string, value: unknown): boolean {
  try {
    validateHeaderName(name);
    validateHeaderValue(name, typeof value === 'number' ? String(value) : (value as string));
    return true;
  } catch {
    return false;
  }
}

/** The caller's fields minus those http.Server would throw on (as H1Response drops them: no response splitting). */
function safeHeaders(headers: OutgoingHttpHeaders | OutgoingHttpHeader[] | undefined): OutgoingHttpHeaders | undefined {
  if (headers === undefined || Array.isArray(headers)) return headers === undefined ? undefined : safeHeaders(pairsOf(headers));
  let out: OutgoingHttpHeaders | undefined;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined) continue;
    const keep = Array.isArray(value) ? value.filter((v) => safeField(name, v)) : safeField(name, value) ? value : undefined;
    if (keep === value) continue;
    out ??= { ...headers };
    if (keep === undefined || (Array.isArray(keep) && keep.length === 0)) delete out[name];
    else out[name] = keep;
  }
  return out ?? headers;
}

function pairsOf(flat: OutgoingHttpHeader[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/** ServerResponse whose writeHead drops unsafe fields instead of throwing ERR_INVALID_CHAR into the pipeline. */
class SafeServerResponse extends ServerResponse {
  override writeHead(status: number, message?: string | OutgoingHttpHeaders | OutgoingHttpHeader[], headers?: OutgoingHttpHeaders | OutgoingHttpHeader[]): this {
    if (typeof message === 'string') return super.writeHead(status, message, safeHeaders(headers));
    return super.writeHead(status, safeHeaders(message));
  }
}

class NodeHttpConnection implements Http1Connection {
  /** Requests whose responses are not complete yet (pipelined ones included). */
  inFlight = 0;
  closeWhenDone = false;
  /** A parse error while responses were in flight: written after them, then the close (as H1Connection). */
  errorReply: string | undefined;
  /** The last request parsed: whether its body was read whole when a parse error came. */
  last: IncomingMessage | undefined;

  constructor(readonly socket: Socket) {}

  close(): void {
    if (this.inFlight === 0) this.socket.destroy();
    else this.closeWhenDone = true;
  }
}

export function nodeHttpAcceptor(options: Http1Options): Http1Acceptor {
  const connections = new WeakMap<Duplex, NodeHttpConnection>();
  const server = new Server(
    {
      maxHeaderSize: options.maxHeaderSize,
      // H1Connection has no whole-request deadline either (a long upload or stream is not cut).
      requestTimeout: 0,
      // No keep-alive timer of Node's own (it would add a 1 s buffer and a `Keep-Alive` field): the
      // socket timeout below covers idle keep-alive connections, as in H1Connection.
      keepAliveTimeout: 0,
      // A request without Host reaches the pipeline, whose HCM answers it 400 missing_host_header (and logs it) as Envoy's does.
      requireHostHeader: false,
      ServerResponse: SafeServerResponse,
    },
    (req: IncomingMessage, res: ServerResponse) => {
      const conn = connections.get(req.socket);
      if (conn !== undefined) {
        conn.inFlight++;
        conn.last = req;
        res.once('close', () => {
          conn.inFlight--;
          if (conn.closeWhenDone && conn.inFlight === 0) conn.socket.end(conn.errorReply ?? '');
        });
      }
      options.onRequest(req, res);
    },
  );
  // Socket inactivity: with a 'timeout' listener Node leaves the decision here, as H1Connection does:
  // close only when nothing is in flight (a slow upstream is the route timeout's business).
  server.setTimeout(options.idleTimeoutMs, (socket: Socket) => {
    if ((connections.get(socket)?.inFlight ?? 0) === 0) socket.destroy();
  });
  // Parse errors answer like H1Connection (Envoy's replies); nothing is written into a response in flight.
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    const code = err.code;
    const parseError = code !== undefined && code.startsWith('HPE_');
    if (parseError) options.onProtocolError(code);
    const conn = connections.get(socket);
    if (!parseError || !socket.writable || (conn !== undefined && conn.inFlight > 0 && conn.last?.complete !== true)) {
      socket.destroy();
      return;
    }
    if (conn !== undefined && conn.inFlight > 0) {
      conn.errorReply = codecReply(code);
      conn.closeWhenDone = true;
    } else socket.end(codecReply(code));
  });
  return (socket) => {
    const conn = new NodeHttpConnection(socket);
    connections.set(socket, conn);
    server.emit('connection', socket);
    return conn;
  };
}
