import type { IncomingHttpHeaders } from 'node:http';
import { ResponseParser } from './response-parser';
import { UpstreamError } from '../upstream-pool';

interface Seen {
  status: number;
  headers: IncomingHttpHeaders | undefined;
  body: string;
  ends: number;
}

function parser(method = 'GET'): { p: ResponseParser; seen: Seen } {
  const seen: Seen = { status: 0, headers: undefined, body: '', ends: 0 };
  const p = new ResponseParser(
    {
      onHead: (status, headers) => {
        seen.status = status;
        seen.headers = headers;
      },
      onBody: (chunk) => {
        seen.body += chunk.toString('latin1');
      },
      onEnd: () => {
        seen.ends++;
      },
    },
    1024,
  );
  p.expect(method);
  return { p, seen };
}

/** Feeds the bytes one at a time, the hardest split. */
function feedBytes(p: ResponseParser, raw: string): void {
  const b = Buffer.from(raw, 'latin1');
  for (let i = 0; i < b.length; i++) p.feed(b.subarray(i, i + 1));
}

function codeOf(fn: () => void): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof UpstreamError ? err.code : 'other';
  }
  return undefined;
}

describe('ResponseParser', () => {
  it('reads a content-length body split anywhere, ends exactly once', () => {
    const { p, seen } = parser();
    feedBytes(p, 'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello');
    expect(seen).toEqual({ status: 200, headers: { 'content-type': 'text/plain', 'content-length': '5' }, body: 'hello', ends: 1 });
    expect(p.keepAlive).toBe(true);
    expect(p.idle).toBe(true);
  });

  it('decodes chunked bodies with extensions and drops trailers', () => {
    const raw = 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nx-trailer: t\r\n\r\n';
    for (const feed of [(p: ResponseParser) => p.feed(Buffer.from(raw)), (p: ResponseParser) => feedBytes(p, raw)]) {
      const { p, seen } = parser();
      feed(p);
      expect(seen.body).toBe('hello world');
      expect(seen.ends).toBe(1);
    }
  });

  it('skips 100 Continue and reports the final response', () => {
    const { p, seen } = parser('POST');
    p.feed(Buffer.from('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\nok'));
    expect([seen.status, seen.body, seen.ends]).toEqual([201, 'ok', 1]);
  });

  it('has no body for HEAD, 204 and 304 even with a content-length', () => {
    for (const [method, status] of [['HEAD', 200], ['GET', 204], ['GET', 304]] as const) {
      const { p, seen } = parser(method);
      p.feed(Buffer.from(`HTTP/1.1 ${status} X\r\ncontent-length: 10\r\n\r\n`));
      expect([seen.status, seen.body, seen.ends]).toEqual([status, '', 1]);
    }
  });

  it('reads a body without length until the connection ends, and never reuses it', () => {
    const { p, seen } = parser();
    p.feed(Buffer.from('HTTP/1.1 200 OK\r\n\r\npart1'));
    p.feed(Buffer.from('part2'));
    expect(seen.ends).toBe(0);
    expect(p.endsAtClose).toBe(true);
    p.finish();
    expect([seen.body, seen.ends, p.keepAlive]).toEqual(['part1part2', 1, false]);
  });

  it('follows connection semantics of HTTP/1.0 and 1.1 and reads the keep-alive hint', () => {
    const cases: Array<[string, boolean]> = [
      ['HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n', false],
      ['HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n', true],
      ['HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 0\r\n\r\n', false],
      ['HTTP/1.1 200 OK\r\nkeep-alive: timeout=5\r\ncontent-length: 0\r\n\r\n', true],
    ];
    for (const [raw, keepAlive] of cases) {
      const { p } = parser();
      p.feed(Buffer.from(raw));
      expect(p.keepAlive).toBe(keepAlive);
    }
    const { p } = parser();
    p.feed(Buffer.from(cases[3]![0]));
    expect(p.keepAliveHintMs).toBe(5000);
  });

  it('keeps repeated headers as lists, set-cookie always', () => {
    const { p, seen } = parser();
    p.feed(Buffer.from('HTTP/1.1 200 OK\r\nset-cookie: a=1\r\nvary: x\r\nVary: y\r\ncontent-length: 3, 3\r\n\r\nabc'));
    expect(seen.headers).toEqual({ 'set-cookie': ['a=1'], vary: ['x', 'y'], 'content-length': '3' });
    expect(seen.body).toBe('abc');
  });

  it('rejects malformed responses with a protocol error', () => {
    const bad = [
      'HTTP/2 200 OK\r\n\r\n',
      'HTTP/1.1 2x0 OK\r\n\r\n',
      'HTTP/1.1 200 OK\r\nno-colon\r\n\r\n',
      'HTTP/1.1 200 OK\r\nname : v\r\n\r\n',
      'HTTP/1.1 200 OK\r\ncontent-length: 1, 2\r\n\r\n',
      'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n',
      'HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\nab',
    ];
    for (const raw of bad) expect([raw, codeOf(() => parser().p.feed(Buffer.from(raw)))]).toEqual([raw, 'PROTOCOL_ERROR']);
  });

  it('limits the header block', () => {
    const { p } = parser();
    expect(codeOf(() => p.feed(Buffer.from(`HTTP/1.1 200 OK\r\nx: ${'a'.repeat(2000)}`)))).toBe('HEADER_OVERFLOW');
  });

  it('ignores everything after halt()', () => {
    const { p, seen } = parser();
    p.feed(Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 4\r\n\r\nab'));
    p.halt();
    p.feed(Buffer.from('cdEXTRA'));
    expect([seen.body, seen.ends]).toEqual(['ab', 0]);
  });
});
