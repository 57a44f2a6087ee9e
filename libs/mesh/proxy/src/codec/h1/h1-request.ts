import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';

/**
 * A downstream HTTP/1.1 request read by h1/connection.ts: the part of IncomingMessage the proxy
 * uses (method, url, headers, httpVersion, socket). The body, when the request has one, is a
 * Readable made at the head (`body`); requests without one (most) allocate no stream at all.
 */
export class H1Request {
  readonly httpVersionMajor = 1;
  readonly httpVersion: string;
  /** The body stream, or null when the head announced none. */
  readonly body: Readable | null;

  constructor(
    readonly socket: Socket,
    readonly method: string,
    readonly url: string,
    readonly headers: IncomingHttpHeaders,
    readonly httpVersionMinor: number,
    hasBody: boolean,
    onBodyRead: () => void,
  ) {
    this.httpVersion = httpVersionMinor === 0 ? '1.0' : '1.1';
    this.body = hasBody ? new Readable({ read: onBodyRead }) : null;
  }
}
