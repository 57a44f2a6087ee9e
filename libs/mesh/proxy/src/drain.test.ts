/**
 * Istio's termination drain (proxy.drain(), SIGTERM in apps/proxy): listeners keep accepting, answers
 * carry `connection: close`, idle keep-alive connections close; close() then stops accepting.
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

/** A keep-alive connection that has been answered once and sits idle; resolves `closed` when the proxy ends it. */
async function idleConnection(port: number): Promise<{ head: string; closed: Promise<void> }> {
  const socket = connect(port, '127.0.0.1');
  let seen = '';
  await new Promise<void>((resolve) => {
    socket.on('data', (d: Buffer) => {
      seen += d.toString();
      if (seen.includes('"name":"app"')) resolve();
    });
    socket.write('GET /first HTTP/1.1\r\nhost: x\r\n\r\n');
  });
  return { head: seen.split('\r\n\r\n')[0] ?? '', closed: new Promise((resolve) => socket.once('close', () => resolve())) };
}

it('keeps serving new connections with connection: close and closes idle ones', async () => {
  const port = p.port('127.0.0.1_9080');
  const idle = await idleConnection(port);
  expect(idle.head).not.toMatch(/connection: close/i);

  p.proxy.drain();
  await idle.closed;
  const during = await send(port, { path: '/during' });
  expect({ status: during.status, connection: during.headers['connection'], name: during.json().name }).toEqual({ status: 200, connection: 'close', name: 'app' });

  await p.proxy.close();
  await expect(send(port, { path: '/after' })).rejects.toThrow();
});
