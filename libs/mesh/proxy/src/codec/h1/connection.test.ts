import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net';
import { type DownstreamRequest, type DownstreamResponse, bodyOf } from '../downstream';
import { chooseHttp1Codec, type Http1Codec } from './http1';
import { announcesBody, headersOf } from './request-headers';

/**
 * The proxy's downstream HTTP/1.1 connection on real sockets, driven with raw bytes: on Node's
 * llhttp (the private-API seam, unsafe/llhttp.ts) and on its public fallback, a node:http Server
 * (node-http.ts, TRELLIS_PRIVATE_APIS=off). Header names are matched without case: Node's
 * ServerResponse writes its own as `Date`, `Connection`, `Transfer-Encoding`.
 */

type Handler = (req: DownstreamRequest, res: DownstreamResponse) => void;

let server: Server;
let port = 0;
let handler: Handler;
const protocolErrors: string[] = [];

function listen(codec: Http1Codec): void {
  beforeAll(async () => {
    const choice = chooseHttp1Codec(codec === 'llhttp');
    expect(choice.codec).toBe(codec);
    const accept = choice.acceptor({ maxHeaderSize: 1024, idleTimeoutMs: 5_000, onRequest: (req, res) => handler(req, res), onProtocolError: (code) => protocolErrors.push(code) });
    server = createServer((socket) => void accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
}

/** Sends `bytes` (then half-closes when `end`), resolves with everything read until the server closes or `until` matches. */
function exchange(bytes: string, o: { end?: boolean; until?: RegExp } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(text);
    }, 2_000);
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
      if (o.until?.test(text)) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(text);
    });
    if (o.end) socket.end(bytes, 'latin1');
    else socket.write(bytes, 'latin1');
  });
}

const echo: Handler = (req, res) => {
  const done = (body: string): void => {
    res.writeHead(200, { 'content-length': Buffer.byteLength(body), 'x-method': req.method });
    res.end(body);
  };
  if (!announcesBody(req.headers)) return done(`${req.url}`);
  let body = '';
  const stream = bodyOf(req);
  stream.on('data', (c: Buffer) => (body += c.toString()));
  stream.once('end', () => done(`${req.url}:${body}`));
};

describe.each<Http1Codec>(['llhttp', 'node-http'])('downstream HTTP/1.1 connection (%s)', (codec) => {
  listen(codec);
  beforeEach(() => {
    handler = echo;
    protocolErrors.length = 0;
  });

  it('answers pipelined requests in order on one keep-alive connection, bodies included', async () => {
    const text = await exchange('GET /a HTTP/1.1\r\nhost: x\r\n\r\nPOST /b HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\nGET /c HTTP/1.1\r\nhost: x\r\n\r\n', { until: /\/c$/ });
    const bodies = text.split('HTTP/1.1 200 OK').slice(1).map((r) => r.slice(r.indexOf('\r\n\r\n') + 4));
    expect(bodies).toEqual(['/a', '/b:abc', '/c']);
    expect(text).not.toMatch(/connection: close/i);
    expect(text).toMatch(/\r\ndate: \w{3}, \d{2} \w{3} \d{4} /i);
  });

  it('frames a response without a length as chunked (HTTP/1.1) or close-delimited (HTTP/1.0)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write(Buffer.from('hello '));
      setTimeout(() => res.end('world'), 5);
    };
    const v11 = await exchange('GET / HTTP/1.1\r\nhost: x\r\n\r\n', { until: /0\r\n\r\n$/ });
    expect(v11).toMatch(/transfer-encoding: chunked\r\n/i);
    expect(v11.slice(v11.indexOf('\r\n\r\n') + 4)).toBe('6\r\nhello \r\n5\r\nworld\r\n0\r\n\r\n');
    const v10 = await exchange('GET / HTTP/1.0\r\n\r\n');
    expect(v10).toMatch(/connection: close\r\n/i);
    expect(v10.endsWith('\r\n\r\nhello world')).toBe(true);
  });

  it('keeps an HTTP/1.0 keep-alive connection open and says so; never writes a field with CR/LF', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': 2, 'x-ok': 'fine', 'x-bad': 'a\r\nset-cookie: evil=1' });
      res.end('ok');
    };
    const text = await exchange('GET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\nGET / HTTP/1.0\r\nconnection: keep-alive\r\n\r\n', { until: /ok[^]*ok$/ });
    expect(text.match(/connection: keep-alive\r\n/gi)).toHaveLength(2);
    expect(text).toContain('x-ok: fine\r\n');
    expect(text).not.toContain('evil');
  });

  it('sends no body for HEAD, and closes after a response to connection: close', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-length': 5 });
      res.end('hello');
    };
    const head = await exchange('HEAD / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(head).toContain('content-length: 5\r\n');
    expect(head).toMatch(/connection: close\r\n/i);
    expect(head.endsWith('\r\n\r\n')).toBe(true); // no body, and the connection closed after the head
  });

  it('answers 100 Continue before the body of an expect: 100-continue request', async () => {
    const text = await exchange('POST /e HTTP/1.1\r\nhost: x\r\nexpect: 100-continue\r\ncontent-length: 2\r\n\r\nok', { until: /\/e:ok$/ });
    expect(text.startsWith('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\n')).toBe(true);
  });

  it('answers malformed requests 400 and oversized heads 431, then closes', async () => {
    expect(await exchange('GET / HTTP/1.1\r\nbad header\r\n\r\n')).toBe('HTTP/1.1 400 Bad Request\r\nserver: envoy\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    expect(await exchange(`GET / HTTP/1.1\r\nx: ${'a'.repeat(2048)}\r\n\r\n`)).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    expect(await exchange('GET / HTTP/1.1\r\ncontent-length: 1\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 /);
    expect(protocolErrors).toEqual(['HPE_INVALID_HEADER_TOKEN', 'HPE_HEADER_OVERFLOW', expect.stringMatching(/^HPE_/)]);
  });

  it('closes an idle keep-alive connection on close(), a busy one after its response', async () => {
    let release: () => void = () => undefined;
    handler = (req, res) => {
      res.writeHead(200, { 'content-length': 4 });
      if (req.url === '/slow') release = () => res.end('late');
      else res.end('now!');
    };
    const conns: { close(): void }[] = [];
    const choice = chooseHttp1Codec(codec === 'llhttp');
    const accept = choice.acceptor({ maxHeaderSize: 1024, idleTimeoutMs: 5_000, onRequest: (req, res) => handler(req, res), onProtocolError: () => undefined });
    const local = createServer((socket) => void conns.push(accept(socket)));
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    const at = (local.address() as AddressInfo).port;
    try {
      const open = (): Promise<Socket> => new Promise((resolve) => { const s = connect(at, '127.0.0.1', () => resolve(s)); });
      const closed = (s: Socket): Promise<string> => new Promise((resolve) => { let t = ''; s.on('data', (d: Buffer) => (t += d.toString('latin1'))); s.once('close', () => resolve(t)); });
      const idle = await open();
      const idleClosed = closed(idle);
      idle.write('GET /fast HTTP/1.1\r\nhost: x\r\n\r\n');
      const busy = await open();
      const busyClosed = closed(busy);
      busy.write('GET /slow HTTP/1.1\r\nhost: x\r\n\r\n');
      await new Promise((r) => setTimeout(r, 100));
      for (const c of conns) c.close();
      expect(await idleClosed).toMatch(/now!$/);
      await new Promise((r) => setTimeout(r, 50));
      expect(busy.destroyed).toBe(false);
      release();
      expect(await busyClosed).toMatch(/^HTTP\/1\.1 200 [^]*late$/);
    } finally {
      await new Promise<void>((resolve) => local.close(() => resolve()));
    }
  });

  it('closes a connection idle for idleTimeoutMs, but never one with a request in flight', async () => {
    const choice = chooseHttp1Codec(codec === 'llhttp');
    const accept = choice.acceptor({
      maxHeaderSize: 1024,
      idleTimeoutMs: 150,
      onRequest: (req, res) => {
        const delay = req.url === '/slow' ? 400 : 0;
        setTimeout(() => {
          res.writeHead(200, { 'content-length': 2 });
          res.end('ok');
        }, delay);
      },
      onProtocolError: () => undefined,
    });
    const local = createServer((socket) => void accept(socket));
    await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
    const at = (local.address() as AddressInfo).port;
    const timed = (bytes: string): Promise<{ text: string; ms: number }> =>
      new Promise((resolve) => {
        const started = Date.now();
        const s = connect(at, '127.0.0.1', () => s.write(bytes, 'latin1'));
        let text = '';
        s.on('data', (d: Buffer) => (text += d.toString('latin1')));
        s.once('close', () => resolve({ text, ms: Date.now() - started }));
      });
    try {
      const [idle, slow] = await Promise.all([timed('GET / HTTP/1.1\r\nhost: x\r\n\r\n'), timed('GET /slow HTTP/1.1\r\nhost: x\r\n\r\n')]);
      expect(idle.text).toMatch(/^HTTP\/1\.1 200 [^]*ok$/); // kept alive after its response, then closed idle
      expect(idle.ms).toBeGreaterThanOrEqual(100);
      expect(idle.ms).toBeLessThan(2_000);
      expect(slow.text).toMatch(/^HTTP\/1\.1 200 [^]*ok$/); // 400 ms in flight > 150 ms idle timeout: not cut
      expect(slow.ms).toBeGreaterThanOrEqual(400);
    } finally {
      await new Promise<void>((resolve) => local.close(() => resolve()));
    }
  });

  it('answers the pipelined requests read before a malformed one, then 400, then closes (as Envoy, one at a time)', async () => {
    handler = (req, res) => setTimeout(() => echo(req, res), req.url === '/a' ? 60 : 0);
    const text = await exchange('GET /a HTTP/1.1\r\nhost: x\r\n\r\nPOST /b HTTP/1.1\r\nhost: x\r\ncontent-length: 2\r\n\r\nhiGET /c HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ncontent-length: 2\r\n\r\n');
    expect(text.match(/HTTP\/1\.1 \d{3} [^\r]*/g)).toEqual(['HTTP/1.1 200 OK', 'HTTP/1.1 200 OK', 'HTTP/1.1 400 Bad Request']);
    expect(text).toMatch(/\/a[^]*\/b:hi[^]*400 Bad Request/);
    expect(protocolErrors).toHaveLength(1);
  });

  it('tells the response when the client goes away before it is complete', async () => {
    const closed = new Promise<boolean>((resolve) => {
      handler = (_req, res) => res.once('close', () => resolve(res.headersSent));
    });
    // As Node's server (and Envoy) do: the client's FIN while a request is in flight aborts it.
    expect(await exchange('GET /slow HTTP/1.1\r\nhost: x\r\n\r\n', { end: true })).toBe('');
    expect(await closed).toBe(false);
  });
});

describe('request headers as IncomingMessage presents them', () => {
  it('lower-cases names, joins lists, keeps the first of single-valued fields, collects set-cookie', () => {
    expect(headersOf(['Host', 'a', 'host', 'b', 'Accept', 'x', 'accept', 'y', 'Cookie', 'c=1', 'cookie', 'd=2', 'Set-Cookie', 's', 'Content-Length', '3', '__proto__', 'p'])).toEqual({
      host: 'a',
      accept: 'x, y',
      cookie: 'c=1; d=2',
      'set-cookie': ['s'],
      'content-length': '3',
    });
  });
});
