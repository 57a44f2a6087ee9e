import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { connect as h2Connect, createServer as createH2Server } from 'node:http2';
import { connect as tlsConnect } from 'node:tls';
import { sniffFirstBytes, type SniffedSocket, type SniffSocketOptions } from './sniff-socket';

/** A socket pair over 127.0.0.1: the accepted side is sniffed, the client is the test's peer. */
describe('sniffFirstBytes', () => {
  let server: Server;
  let port: number;
  const open: Socket[] = [];
  let accepted: (socket: Socket) => void;

  beforeAll(async () => {
    server = createServer((socket) => {
      open.push(socket);
      socket.on('error', () => undefined);
      accepted(socket);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(() => open.splice(0).forEach((s) => s.destroy()));
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  /** Sniffs the accepted side of the connection `dial` opens. */
  function sniffPeer(dial: () => Socket, options: SniffSocketOptions): Promise<{ sniffed: SniffedSocket; socket: Socket }> {
    const sniffed = new Promise<{ sniffed: SniffedSocket; socket: Socket }>((resolve) => {
      accepted = (socket) => void sniffFirstBytes(socket, options).then((s) => resolve({ sniffed: s, socket }));
    });
    const client = dial();
    client.on('error', () => undefined);
    open.push(client);
    return sniffed;
  }

  /** A plain TCP client; `talk` gets it once connected. */
  function raw(talk: (client: Socket) => void): () => Socket {
    return () => {
      const client: Socket = connect(port, '127.0.0.1', () => talk(client));
      return client;
    };
  }

  /** What the next stage reads from the socket: every byte, the sniffed ones first. */
  function readAll(socket: Socket, bytes: number): Promise<string> {
    return new Promise((resolve) => {
      let got = '';
      socket.on('data', (chunk: Buffer) => {
        got += chunk.toString('latin1');
        if (got.length >= bytes) resolve(got);
      });
      socket.resume();
    });
  }

  it('a peer that never writes resolves as opaque after the timeout, with nothing read', async () => {
    const started = Date.now();
    const { sniffed, socket } = await sniffPeer(raw(() => undefined), { timeoutMs: 80 });
    expect(sniffed).toEqual({ result: { kind: 'opaque' }, bytes: Buffer.alloc(0), reason: 'timeout' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    expect(socket.destroyed).toBe(false); // continue_on_listener_filters_timeout: the connection goes on
  });

  it('an HTTP/1.1 request split over writes is classified, and its bytes are left for the next stage', async () => {
    const request = 'GET /productpage HTTP/1.1\r\nHost: bookinfo\r\n\r\n';
    const { sniffed, socket } = await sniffPeer(
      raw((client) => {
        client.write(request.slice(0, 7));
        setTimeout(() => client.write(request.slice(7)), 30);
      }),
      { timeoutMs: 5000 },
    );
    expect(sniffed.result).toEqual({ kind: 'http1', method: 'GET', protocol: 'http/1.1' });
    expect(sniffed.reason).toBe('decided');
    expect(socket.isPaused()).toBe(true);
    expect(await readAll(socket, request.length)).toBe(request);
  });

  it('a request line that stops short is opaque at the timeout, its bytes unshifted', async () => {
    const { sniffed, socket } = await sniffPeer(raw((client) => client.write('GET /slow')), { timeoutMs: 80 });
    expect(sniffed).toEqual({ result: { kind: 'opaque' }, bytes: Buffer.from('GET /slow'), reason: 'timeout' });
    expect(await readAll(socket, 9)).toBe('GET /slow');
  });

  it('a peer that ends before deciding is opaque, reason closed', async () => {
    const { sniffed } = await sniffPeer(raw((client) => client.end('GE')), { timeoutMs: 5000 });
    expect(sniffed).toEqual({ result: { kind: 'opaque' }, bytes: Buffer.from('GE'), reason: 'closed' });
  });

  it('maxBytes bounds the read: a request line longer than it is opaque', async () => {
    const { sniffed } = await sniffPeer(raw((client) => client.write(`GET /${'a'.repeat(100)} HTTP/1.1\r\n`)), { timeoutMs: 5000, maxBytes: 64 });
    expect(sniffed.result).toEqual({ kind: 'opaque' });
    expect(sniffed.reason).toBe('decided');
  });

  it("a real TLS client's ClientHello gives SNI and ALPN; the hello stays in the socket", async () => {
    const dial = (): Socket => tlsConnect({ host: '127.0.0.1', port, servername: 'details.default.svc.cluster.local', ALPNProtocols: ['h2'] });
    const { sniffed, socket } = await sniffPeer(dial, { timeoutMs: 5000 });
    expect(sniffed.result).toEqual({ kind: 'tls', sni: 'details.default.svc.cluster.local', alpn: ['h2'] });
    const hello = sniffed.bytes;
    expect(hello.length).toBe(5 + hello.readUInt16BE(3));
    expect(await readAll(socket, hello.length)).toBe(hello.toString('latin1'));
  });

  it('h2c: handed on paused, as codec-sniff.ts does, an HTTP/2 session reads the preface itself', async () => {
    const h2 = createH2Server((_req, res) => res.end('ok'));
    const sniffing = new Promise<void>((resolve) => {
      accepted = (socket) =>
        void sniffFirstBytes(socket, { timeoutMs: 5000 }).then(({ result }) => {
          expect(result).toEqual({ kind: 'h2c' });
          h2.emit('connection', socket);
          resolve();
        });
    });
    const session = h2Connect(`http://127.0.0.1:${port}`);
    try {
      const body = await new Promise<string>((resolve, reject) => {
        const req = session.request({ ':path': '/' });
        let got = '';
        req.on('data', (chunk: Buffer) => (got += chunk.toString()));
        req.on('end', () => resolve(got));
        req.on('error', reject);
      });
      await sniffing;
      expect(body).toBe('ok');
    } finally {
      session.close();
      h2.close();
    }
  });
});
