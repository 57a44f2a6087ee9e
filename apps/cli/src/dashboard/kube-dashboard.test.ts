// forwardToPod's connection handling over a real socket and a real WebSocket: a stand-in for the API server's
// pod portforward endpoint (Kubernetes' v4 channel framing: one byte of stream, the port first) echoing stream 0.
// Checks that bytes flow both ways, that a closed local connection closes its WebSocket, and that close() — what
// Ctrl-C runs — ends open connections and their WebSockets, so the CLI's process can exit.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeApi } from '../client/kube-api';
import { forwardToPod, type Forwarding } from './kube-dashboard';

interface PeerSocket {
  send(data: Buffer): void;
  on(event: 'message', listener: (data: Buffer) => void): void;
  on(event: 'close', listener: () => void): void;
}
interface PeerServer {
  on(event: 'connection', listener: (ws: PeerSocket, req: { url?: string }) => void): void;
  close(): void;
}
// `ws` is the Kubernetes client's own WebSocket library (it ships no types of its own).
const { WebSocketServer } = require('ws') as { WebSocketServer: new (opts: { server: Server }) => PeerServer };

describe('trellis dashboard port-forward connections', () => {
  let dir: string;
  let http: Server;
  let peers: PeerServer;
  let fw: Forwarding;
  const urls: string[] = [];
  let closedUpstream = 0;

  beforeAll(async () => {
    http = createServer();
    peers = new WebSocketServer({ server: http });
    peers.on('connection', (ws, req) => {
      urls.push(req.url ?? '');
      ws.send(Buffer.from([0, 0x21, 0x4e])); // data stream, port 20001
      ws.send(Buffer.from([1, 0x21, 0x4e])); // error stream, port 20001
      ws.on('message', (m) => (m[0] === 0 ? ws.send(Buffer.concat([Buffer.from([0]), Buffer.from(`echo:${m.subarray(1).toString()}`)])) : undefined));
      ws.on('close', () => (closedUpstream += 1));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    dir = mkdtempSync(path.join(tmpdir(), 'trellis-dash-fw-'));
    const server = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    const kubeconfig = { apiVersion: 'v1', kind: 'Config', clusters: [{ name: 'c', cluster: { server, 'insecure-skip-tls-verify': true } }], users: [{ name: 'u', user: { token: 't' } }], contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }], 'current-context': 'x' };
    writeFileSync(path.join(dir, 'kubeconfig'), JSON.stringify(kubeconfig));
    fw = await forwardToPod(KubeApi.connect({ kubeconfig: path.join(dir, 'kubeconfig') }), { name: 'kiali-1', namespace: 'istio-system' }, 20001, '127.0.0.1', [0], (line) => {
      throw new Error(line);
    });
  });
  afterAll(async () => {
    fw.close();
    peers.close();
    await new Promise((resolve) => http.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const port = (): number => Number(fw.address.split(':')[1]);
  const until = async (what: string, probe: () => boolean): Promise<void> => {
    for (const deadline = Date.now() + 5000; !probe(); await new Promise((r) => setTimeout(r, 20))) if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
  };
  const opened = (): Promise<{ socket: Socket; first: string }> =>
    new Promise((resolve, reject) => {
      const socket = connect(port(), '127.0.0.1', () => socket.write('hello'));
      socket.once('data', (d) => resolve({ socket, first: d.toString() }));
      socket.once('error', reject);
    });

  it('forwards bytes both ways to the pod’s port, and a closed connection closes its WebSocket', async () => {
    const { socket, first } = await opened();
    expect(first).toBe('echo:hello');
    expect(urls[0]).toBe('/api/v1/namespaces/istio-system/pods/kiali-1/portforward?ports=20001');
    const before = closedUpstream;
    socket.end();
    await until('the WebSocket closed after the local connection ended', () => closedUpstream === before + 1);
  });

  it('close() (Ctrl-C) ends open connections and their WebSockets', async () => {
    const [a, b] = [await opened(), await opened()];
    const before = closedUpstream;
    const ended = [a, b].map(({ socket }) => new Promise((resolve) => socket.on('close', resolve)));
    fw.close();
    await Promise.all(ended);
    await until('both WebSockets closed', () => closedUpstream === before + 2);
    await expect(new Promise((resolve, reject) => connect(port(), '127.0.0.1', () => resolve('connected')).on('error', reject))).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
