import type { IncomingHttpHeaders } from 'node:http';

/**
 * A flat [name, value, …] header list as Node's IncomingMessage presents it: lower-case names;
 * repeated fields joined with ", " (cookie with "; "), set-cookie as an array, and for the fields
 * that cannot be lists (host, content-length, authorization, …) the first value kept.
 */
const SINGLE = new Set([
  'content-type', 'content-length', 'user-agent', 'referer', 'host', 'authorization', 'proxy-authorization',
  'if-modified-since', 'if-unmodified-since', 'from', 'location', 'max-forwards', 'retry-after', 'etag',
  'last-modified', 'server', 'age', 'expires',
]);

export function headersOf(raw: readonly string[]): IncomingHttpHeaders {
  const headers: Record<string, string | string[]> = {};
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    const value = raw[i + 1] as string;
    if (name === '__proto__') continue; // not a field anyone sends in good faith; never a prototype
    const prev = headers[name];
    if (prev === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
    else if (name === 'set-cookie') (prev as string[]).push(value);
    else if (!SINGLE.has(name)) headers[name] = `${prev as string}${name === 'cookie' ? '; ' : ', '}${value}`;
  }
  return headers as IncomingHttpHeaders;
}

/** Whether a request head announces a body (RFC 9112 §6.3: a non-zero length, or a transfer coding). */
export function announcesBody(headers: IncomingHttpHeaders): boolean {
  const length = headers['content-length'];
  return length !== undefined ? length !== '0' : headers['transfer-encoding'] !== undefined;
}
