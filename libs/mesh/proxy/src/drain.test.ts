/**
 * Istio's termination drain (proxy.drain(), SIGTERM in apps/proxy): listeners keep accepting, answers
 * carry `connection: close` (a kept-alive connection ends after its next answer, not before: no reset
 * race); close() then stops accepting.
 */
import { connect } from 'node:net';
import { assignment, httpListener, route, routeConfig, vhost } from './testing/envoy-fixtures';
import { type TestProxy, type Upstream, send, startProxy, startUpstream } from './testing/harness';

let app: Upstream;
let p: TestProxy;

beforeAll(async () => {
  app = await startUpstream('app');
  p = await startProxy({
    clusters: [{ name: 'inbound|9080||', type: 'STATIC', load_assignment: assignment('inbound|9080||', [{ port: app.port }]) }],
    listeners: [httpListener('127.0.0.1_9080', 9080, routeConfig('inbound|9080||', [vhost('inbound|http|9080', ['*'], [route({ prefix: '/' }, { cluster: 'inbound|9080||' })])]))],
    routes: [],
  });
});

afterAll(async () => {
  await p.proxy.close();
  await app.close();
});

/** A keep-alive connection: `ask(path)` writes a request and resolves with the response head. */
function keepAlive(port: number): { ask(path: string): Promise<string>; closed: Promise<void> } {
  const socket = connect(port, '127.0.0.1');
  let seen = '';
  let waiter: ((head: string) => void) | undefined;
  socket.on('data', (d: Buffer) => {
    seen += d.toString();
    const end = seen.indexOf('"name":"app"');
    if (end >= 0 && waiter !== undefined) {
      const head = seen.split('\r\n\r\n')[0] ?? '';
      seen = '';
      waiter(head);
    }
  });
  return {
    ask: (path) => new Promise((resolve) => {
      waiter = resolve;
      socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\n\r\n`);
    }),
    closed: new Promise((resolve) => socket.once('close', () => resolve())),
  };
}

it('keeps serving old and new connections with connection: close, then close() refuses', async () => {
  const port = p.port('127.0.0.1_9080');
  const kept = keepAlive(port);
  expect(await kept.ask('/first')).not.toMatch(/connection: close/i);

  p.proxy.drain();
  await new Promise((r) => setTimeout(r, 100));
  // The idle kept-alive connection is still open: its next request is answered, told to close, then ended.
  expect(await kept.ask('/during-drain')).toMatch(/connection: close/i);
  await kept.closed;
  const fresh = await send(port, { path: '/during' });
  expect({ status: fresh.status, connection: fresh.headers['connection'], name: fresh.json().name }).toEqual({ status: 200, connection: 'close', name: 'app' });

  await p.proxy.close();
  await expect(send(port, { path: '/after' })).rejects.toThrow();
});
