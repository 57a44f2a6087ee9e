import type { IncomingHttpHeaders } from 'node:http';
import { protocolError } from '../upstream-pool';

/** How the response's end is known (RFC 9112 §6.3). */
export const enum Framing {
  None,
  Length,
  Chunked,
  UntilClose,
}

export interface ResponseHead {
  readonly status: number;
  readonly http10: boolean;
  readonly headers: IncomingHttpHeaders;
}

function parseStatusLine(text: string, eol: number): number {
  // "HTTP/1.1 200 OK" — the reason phrase is optional and ignored.
  if (!text.startsWith('HTTP/1.') || text.charCodeAt(8) !== 32) throw protocolError('invalid status line');
  let status = 0;
  for (let i = 9; i < 12; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw protocolError('invalid status code');
    status = status * 10 + d;
  }
  if (status < 100 || (eol > 12 && text.charCodeAt(12) !== 32)) throw protocolError('invalid status code');
  return status;
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

/** The head (status line + header lines, without the blank line) in one pass, no intermediate arrays. */
export function parseResponseHead(text: string): ResponseHead {
  let eol = text.indexOf('\r\n');
  if (eol < 0) eol = text.length;
  const status = parseStatusLine(text, eol);
  const headers: Record<string, string | string[]> = {};
  let at = eol + 2;
  while (at < text.length) {
    let end = text.indexOf('\r\n', at);
    if (end < 0) end = text.length;
    const colon = text.indexOf(':', at);
    if (colon <= at || colon > end || isSpace(text.charCodeAt(colon - 1)) || isSpace(text.charCodeAt(at))) {
      throw protocolError('invalid header line');
    }
    let v = colon + 1;
    while (v < end && isSpace(text.charCodeAt(v))) v++;
    let e = end;
    while (e > v && isSpace(text.charCodeAt(e - 1))) e--;
    addHeader(headers, text.slice(at, colon).toLowerCase(), text.slice(v, e));
    at = end + 2;
  }
  return { status, http10: text.charCodeAt(7) === 48, headers };
}

function addHeader(headers: Record<string, string | string[]>, name: string, value: string): void {
  const prev = headers[name];
  if (prev === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
  else if (Array.isArray(prev)) prev.push(value);
  else headers[name] = [prev, value];
}

export function framingOf(status: number, headers: IncomingHttpHeaders, head: boolean): Framing {
  if (head || status === 204 || status === 304 || status < 200) return Framing.None;
  const te = headers['transfer-encoding'];
  if (te !== undefined) {
    if (!/(?:^|,)\s*chunked\s*$/i.test(String(te))) return Framing.UntilClose;
    return Framing.Chunked;
  }
  return headers['content-length'] === undefined ? Framing.UntilClose : Framing.Length;
}

function digitsOnly(raw: string): number {
  if (raw.length === 0 || raw.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const d = raw.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/** One value, or a list of equal values (RFC 9112 §6.3 item 5); anything else is an error. */
export function contentLength(raw: string | string[]): number {
  if (typeof raw === 'string') {
    const n = digitsOnly(raw);
    if (n >= 0) return n;
  }
  const values = (Array.isArray(raw) ? raw.join(',') : raw).split(',');
  const first = (values[0] ?? '').trim();
  if (!/^\d{1,15}$/.test(first) || values.some((v) => v.trim() !== first)) throw protocolError('invalid content-length');
  return Number(first);
}
