import { connect as h2connect, createServer as createH2cServer, type Http2ServerRequest } from 'node:http2';
import { type AddressInfo, type Socket, createServer } from 'node:net';
import { capturedDestination, rememberCaptured } from './capture-route';

/**
 * The original destination recorded on a captured socket is found from an HTTP/2 request's `req.socket`,
 * which Node's compat API hands out as a Proxy of the socket (a WeakMap keyed by the socket missed it, so
 * virtualInbound chose its passthrough chain for h2c/gRPC clients such as a gateway's rate-limit call).
 */
describe('capturedDestination', () => {
  it('is read through an HTTP/2 request socket (the compat Proxy) and through the TCP socket itself', async () => {
    const dst = { address: '10.0.0.50', port: 8081 };
    const h2 = createH2cServer();
    const seen: unknown[] = [];
    let raw: Socket | undefined;
    h2.on('request', (req: Http2ServerRequest, res) => {
      seen.push(req.socket === raw, capturedDestination(req.socket));
      res.end('ok');
    });
    const tcp = createServer((socket) => {
      raw = socket;
      rememberCaptured(socket, dst);
      h2.emit('connection', socket);
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const client = h2connect(`http://127.0.0.1:${(tcp.address() as AddressInfo).port}`);
    try {
      await new Promise<void>((resolve, reject) => {
        const s = client.request({ ':path': '/envoy.service.ratelimit.v3.RateLimitService/ShouldRateLimit', ':method': 'POST' });
        s.on('error', reject).on('close', resolve).resume().end();
      });
      expect(seen).toEqual([false, dst]);
      expect(capturedDestination(raw)).toEqual(dst);
      expect(capturedDestination({})).toBeUndefined();
    } finally {
      client.close();
      tcp.close();
      h2.close();
    }
  });
});
