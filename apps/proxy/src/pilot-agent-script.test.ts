/**
 * tools/docker/pilot-agent.js, the proxy image's `pilot-agent request <method> <path>` (Istio's
 * circuit-breaking task reads the sidecar's stats with it): against a real admin API on localhost:15000.
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../../tools/docker/pilot-agent.js');

function pilotAgent(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [SCRIPT, ...args], { timeout: 10_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr });
    });
  });
}

/** An admin API on localhost:15000 when that port is free here (it is fixed, as pilot-agent's). */
async function adminOn15000(): Promise<http.Server | undefined> {
  const srv = http.createServer((req, res) => {
    if (req.url === '/stats') res.end('cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow: 21\n');
    else if (req.url === '/missing') res.writeHead(404).end('not found');
    else res.writeHead(503).end('no');
  });
  return new Promise((resolve) => {
    srv.once('error', () => resolve(undefined));
    srv.listen(15000, 'localhost', () => resolve(srv));
  });
}

describe('pilot-agent request (proxy image)', () => {
  it('refuses other commands, ports pilot-agent does not allow, and missing arguments', async () => {
    expect(await pilotAgent('wait')).toMatchObject({ code: 1, stderr: expect.stringContaining('unknown command "wait" for "pilot-agent"') });
    expect(await pilotAgent('request', '--debug-port', '9080', 'GET', 'stats')).toMatchObject({ code: 1, stderr: 'Error: debug port 9080 is not in allowed list [15000 15004 15020 15021]\n' });
    expect(await pilotAgent('request', 'GET')).toMatchObject({ code: 1, stderr: expect.stringContaining('requires at least 2 arg(s)') });
  });

  it('GETs localhost:15000/<path> and prints the body; 404 passes, other errors exit 1', async () => {
    const srv = await adminOn15000();
    if (srv === undefined) {
      process.stderr.write('pilot-agent request: localhost:15000 is taken here; the admin round trip is not exercised\n');
      return;
    }
    try {
      expect(await pilotAgent('request', 'GET', 'stats')).toEqual({ code: 0, stdout: 'cluster.outbound|8000||httpbin.default.svc.cluster.local.upstream_rq_pending_overflow: 21\n\n', stderr: '' });
      expect((await pilotAgent('request', 'GET', '/missing')).code).toBe(0);
      expect(await pilotAgent('request', 'POST', 'quitquitquit')).toMatchObject({ code: 1, stderr: 'Error: received unsuccessful status code 503: no\n' });
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });
});
