import type { IncomingHttpHeaders } from 'node:http';
import { protocolError } from './types';

/** How the response's end is known (RFC 9112 §6.3). */
export const enum Framing {
  None,
  Length,
  Chunked,
  UntilClose,
}

export function parseStatusLine(line: string): number {
  // "HTTP/1.1 200 OK" — the reason phrase is optional and ignored.
  if (!line.startsWith('HTTP/1.') || line.charCodeAt(8) !== 32) throw protocolError('invalid status line');
  const status = Number(line.slice(9, 12));
  if (!Number.isInteger(status) || status < 100 || status > 999 || (line.length > 12 && line.charCodeAt(12) !== 32)) {
    throw protocolError('invalid status code');
  }
  return status;
}

export function parseHeaderLines(lines: string[]): IncomingHttpHeaders {
  const headers: Record<string, string | string[]> = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const colon = line.indexOf(':');
    if (colon <= 0 || line.charCodeAt(colon - 1) === 32 || line.charCodeAt(0) === 32 || line.charCodeAt(0) === 9) {
      throw protocolError('invalid header line');
    }
    const name = line.slice(0, colon).toLowerCase();
    const value = line.slice(colon + 1).trim();
    const prev = headers[name];
    if (prev === undefined) headers[name] = name === 'set-cookie' ? [value] : value;
    else if (Array.isArray(prev)) prev.push(value);
    else headers[name] = [prev, value];
  }
  return headers;
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

/** One value, or a list of equal values (RFC 9112 §6.3 item 5); anything else is an error. */
export function contentLength(raw: string | string[]): number {
  const values = (Array.isArray(raw) ? raw.join(',') : raw).split(',');
  const first = (values[0] ?? '').trim();
  if (!/^\d{1,15}$/.test(first) || values.some((v) => v.trim() !== first)) throw protocolError('invalid content-length');
  return Number(first);
}
