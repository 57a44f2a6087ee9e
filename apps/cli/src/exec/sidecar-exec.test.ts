import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import type { LocalPodRecord } from '@trellis/mesh-local';
import { parsePilotAgent, runInSidecar } from './sidecar-exec';

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString() };
}

describe('x exec -c istio-proxy: pilot-agent request against the local sidecar', () => {
  it('parses pilot-agent request as Istio does, refusing anything else by name', () => {
    expect(parsePilotAgent(['pilot-agent', 'request', 'GET', 'stats'])).toEqual({ method: 'GET', path: 'stats', body: '', port: 15000 });
    expect(parsePilotAgent(['/usr/local/bin/pilot-agent', 'request', '--debug-port', '15020', 'post', '/logging?level=debug'])).toMatchObject({ method: 'POST', path: 'logging?level=debug', port: 15020 });
    expect(() => parsePilotAgent(['curl', 'localhost:15000/stats'])).toThrow(expect.objectContaining({ code: 'EXEC_SIDECAR_COMMAND' }));
    expect(() => parsePilotAgent(['pilot-agent', 'request', '--debug-port=9080', 'GET', 'x'])).toThrow('debug port 9080 is not in allowed list [15000 15004 15020 15021]');
    expect(() => parsePilotAgent(['pilot-agent', 'request', 'GET'])).toThrow(/requires at least 2 arg/);
  });

  it('prints the admin answer, and fails on an error status', async () => {
    // Port 15000 on a loopback address of its own, as a local-mode sidecar's admin API.
    const ip = `127.0.${50 + Math.floor(Math.random() * 100)}.${10 + Math.floor(Math.random() * 200)}`;
    const srv = http.createServer((req, res) => {
      if (req.url === '/stats') res.end('cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow: 3\n');
      else res.writeHead(500).end('boom');
    });
    await new Promise<void>((r, j) => srv.once('error', j).listen(15000, ip, r));
    expect((srv.address() as AddressInfo).port).toBe(15000);
    try {
      const pod = { name: 'fortio-1', ip, sidecar: true } as LocalPodRecord;
      const out = sink();
      const err = sink();
      expect(await runInSidecar(pod, ['pilot-agent', 'request', 'GET', 'stats'], { stdout: out.stream, stderr: err.stream })).toBe(0);
      expect(out.text()).toContain('httpbin.default.svc.cluster.local.upstream_rq_pending_overflow: 3');
      expect(await runInSidecar(pod, ['pilot-agent', 'request', 'GET', 'nope'], { stdout: out.stream, stderr: err.stream })).toBe(1);
      expect(err.text()).toBe('Error: received unsuccessful status code 500: boom\n');
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});
