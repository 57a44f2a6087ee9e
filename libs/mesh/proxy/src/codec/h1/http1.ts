import type { Socket } from 'node:net';
import { detectLlhttp } from '../../unsafe/llhttp';
import type { DownstreamRequest, DownstreamResponse } from '../downstream';
import { H1Connection } from './connection';
import { nodeHttpAcceptor } from './node-http';

/**
 * The proxy's downstream HTTP/1.1 codec, chosen once at start-up: its own connection on Node's
 * llhttp parser (a private API, unsafe/llhttp.ts) when that is present in the expected shape and
 * private APIs are allowed, else a public `node:http` Server (node-http.ts). Both feed the same
 * request pipeline; HttpListener only accepts sockets and closes connections.
 */
export type Http1Codec = 'llhttp' | 'node-http';

export interface Http1Options {
  readonly maxHeaderSize: number;
  /** Idle time (no request in flight) after which the connection is closed. */
  readonly idleTimeoutMs: number;
  readonly onRequest: (req: DownstreamRequest, res: DownstreamResponse) => void;
  /** A parse error (llhttp's HPE_* code); the codec has answered 400/431 or closed. */
  readonly onProtocolError: (code: string) => void;
}

/** One accepted downstream HTTP/1.1 connection. */
export interface Http1Connection {
  readonly socket: Socket;
  /** Close now when idle, else after the response in flight (drains). */
  close(): void;
}

export type Http1Acceptor = (socket: Socket) => Http1Connection;

export interface Http1Choice {
  readonly codec: Http1Codec;
  /** Why the fallback was chosen (absent for llhttp). */
  readonly reason?: string;
  /** Builds the acceptor for one listener. */
  acceptor(options: Http1Options): Http1Acceptor;
}

/** `privateApis: false` forces the public fallback (tests, or a Node whose internals changed under us). */
export function chooseHttp1Codec(privateApis: boolean): Http1Choice {
  const llhttp = privateApis ? detectLlhttp() : { ok: false as const, reason: 'private APIs disabled' };
  if (!llhttp.ok) return { codec: 'node-http', reason: llhttp.reason, acceptor: nodeHttpAcceptor };
  const api = llhttp.api;
  return { codec: 'llhttp', acceptor: (options) => (socket) => new H1Connection(socket, options, api) };
}
