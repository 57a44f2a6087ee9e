import { detectLlhttp, probeLlhttp, requestParser, type LlhttpApi } from './llhttp';

/**
 * Pins Node's private llhttp binding (`require('_http_common')`) as the proxy's HTTP/1.1 connection
 * uses it: a Node upgrade that removes or reshapes it fails here, in CI, rather than falling back
 * silently in production (where the proxy would log a warning and use node:http).
 */

function api(): LlhttpApi {
  const d = detectLlhttp();
  if (!d.ok) throw new Error(d.reason);
  return d.api;
}

describe("Node's private llhttp binding (_http_common)", () => {
  it('is present on this Node, with every field the connection reads', () => {
    expect(detectLlhttp()).toMatchObject({ ok: true });
    const { HTTPParser, methods } = api();
    expect(typeof HTTPParser).toBe('function');
    for (const slot of ['REQUEST', 'kOnHeaders', 'kOnHeadersComplete', 'kOnBody', 'kOnMessageComplete'] as const) expect(Number.isInteger(HTTPParser[slot])).toBe(true);
    expect(methods).toEqual(expect.arrayContaining(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'PATCH']));
  });

  it('calls back as the connection expects: the head (its fields inline, or flushed before it), body chunks, completion', () => {
    // What H1Connection does with the callbacks: fields and URL flushed through onHeaders are
    // concatenated and stand in for onHeadersComplete's when it passes undefined.
    const messages: unknown[][] = [];
    let pending: string[] = [];
    let pendingUrl = '';
    const parser = requestParser(
      api(),
      {
        onHeaders: (headers, url) => {
          pending.push(...headers);
          pendingUrl += url;
        },
        onHeadersComplete: (major, minor, headers, method, url, _s, _m, upgrade, keepAlive) => {
          const fields = headers ?? pending;
          messages.push(['head', major, minor, fields.length / 2, fields[fields.length - 2], api().methods[method], url ?? pendingUrl, upgrade, keepAlive]);
          pending = [];
          pendingUrl = '';
          return 0;
        },
        onBody: (chunk) => messages.push(['body', Buffer.isBuffer(chunk), chunk.toString()]),
        onMessageComplete: () => messages.push(['complete']),
      },
      64 * 1024,
    );
    try {
      // More than 32 fields: Node flushes them through onHeaders (and keeps doing so on this parser).
      const fields = Array.from({ length: 40 }, (_, i) => `x-${i}: ${i}\r\n`).join('');
      expect(parser.execute(Buffer.from(`PUT /long HTTP/1.0\r\n${fields}connection: keep-alive\r\ntransfer-encoding: chunked\r\n\r\n`, 'latin1'))).toEqual(expect.any(Number));
      expect(parser.execute(Buffer.from('3\r\nabc\r\n0\r\n\r\n', 'latin1'))).toEqual(expect.any(Number));
      expect(parser.execute(Buffer.from('GET /up HTTP/1.1\r\nhost: x\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n', 'latin1'))).toEqual(expect.any(Number));
    } finally {
      parser.close();
    }
    const short = requestParser(api(), {
      onHeaders: () => messages.push(['flushed']),
      onHeadersComplete: (_major, minor, headers, method, url) => {
        messages.push(['inline', minor, headers, api().methods[method], url]);
        return 0;
      },
      onBody: () => undefined,
      onMessageComplete: () => undefined,
    }, 1024);
    try {
      short.execute(Buffer.from('DELETE /a?b=c HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n\r\n', 'latin1'));
    } finally {
      short.close();
    }
    expect(messages).toEqual([
      ['head', 1, 0, 42, 'transfer-encoding', 'PUT', '/long', false, true],
      ['body', true, 'abc'],
      ['complete'],
      ['head', 1, 1, 3, 'upgrade', 'GET', '/up', true, expect.any(Boolean)],
      ['complete'],
      // A short head (the common case) comes inline, names as sent.
      ['inline', 1, ['Host', 'x', 'X-A', '1'], 'DELETE', '/a?b=c'],
    ]);
  });

  it('reports parse errors as llhttp codes (HPE_*), with the bytes parsed', () => {
    const parser = requestParser(api(), { onHeaders: () => undefined, onHeadersComplete: () => 0, onBody: () => undefined, onMessageComplete: () => undefined }, 1024);
    try {
      const err = parser.execute(Buffer.from('GET / HTTP/1.1\r\nbad header\r\n\r\n', 'latin1'));
      expect(err).toMatchObject({ code: 'HPE_INVALID_HEADER_TOKEN', bytesParsed: expect.any(Number) });
    } finally {
      parser.close();
    }
  });

  it('is detected as missing (never a crash) when the module is absent or of another shape', () => {
    const reasons = [
      probeLlhttp(() => {
        throw new Error("Cannot find module '_http_common'");
      }),
      probeLlhttp(() => ({ methods: ['GET', 'POST'] })),
      probeLlhttp(() => ({ HTTPParser: Object.assign(class HTTPParser {}, { REQUEST: 1 }), methods: ['GET', 'POST'] })),
      // Right names, wrong behaviour: a parser that never calls back.
      probeLlhttp(() => {
        class HTTPParser {
          static REQUEST = 1;
          static kOnHeaders = 1;
          static kOnHeadersComplete = 2;
          static kOnBody = 3;
          static kOnMessageComplete = 4;
          initialize(): void {
            return undefined;
          }
          execute(data: Buffer): number {
            return data.length;
          }
          finish(): void {
            return undefined;
          }
          close(): void {
            return undefined;
          }
        }
        return { HTTPParser, methods: ['GET', 'POST'] };
      }),
    ].map((d) => (d.ok ? 'ok' : d.reason));
    expect(reasons).toEqual([
      "_http_common: Cannot find module '_http_common'",
      '_http_common: no HTTPParser constructor',
      '_http_common: HTTPParser.kOnHeaders is not an integer',
      '_http_common: onHeadersComplete was not called',
    ]);
  });
});
