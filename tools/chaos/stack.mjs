// `npm start`'s stack for the chaos run: its own state dir, address block and host ports, started
// from dist/ as a user starts it, and read back through the files it writes (control-plane.json,
// local-pods.json) — the harness knows no more about the processes than `trellis` does.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { request } from 'undici';

export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startStack({ root, stateDir, addressBlock, restartBackoff, accessLog = false, readyTimeoutMs = 120_000, out, meshYaml }) {
  rmSync(stateDir, { recursive: true, force: true });
  // The mesh config the runner (proxyMetadata → proxies' env) and the control plane read, as a user writes it.
  if (meshYaml !== undefined) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(path.join(stateDir, 'mesh.yaml'), meshYaml);
  }
  const port = await freePort();
  const httpsPort = await freePort();
  const args = [path.join(root, 'dist/apps/local-runner/main.js'), '--state-dir', stateDir, '--reset', '--port', String(port), '--https-port', String(httpsPort), '--address-block', addressBlock, '--no-kiali', '--restart-backoff', restartBackoff, '--log-level', 'warn', ...(accessLog ? ['--access-log'] : [])];
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  const lines = [];
  let buf = '';
  const onData = (d) => {
    buf += d.toString();
    let i;
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 1);
      lines.push(line);
      out?.(line);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const exited = new Promise((r) => child.once('exit', r));
  const ready = await Promise.race([
    (async () => {
      const end = Date.now() + readyTimeoutMs;
      while (Date.now() < end && !lines.some((l) => l.startsWith('Bookinfo is ready'))) await sleep(100);
      return lines.some((l) => l.startsWith('Bookinfo is ready'));
    })(),
    exited.then(() => false),
  ]);
  const stack = new LocalStackHandle(child, exited, stateDir, `http://127.0.0.1:${port}`, lines);
  if (!ready) {
    await stack.stop();
    throw new Error(`npm start did not become ready:\n${lines.join('\n')}`);
  }
  return stack;
}

class LocalStackHandle {
  constructor(child, exited, stateDir, gatewayUrl, lines) {
    Object.assign(this, { child, exited, stateDir, gatewayUrl, lines });
    this.controlPlaneUrl = JSON.parse(readFileSync(path.join(stateDir, 'control-plane.json'), 'utf8')).address;
  }

  /** local-pods.json's `processes`: name, state, restarts, pid. */
  processes() {
    try {
      return JSON.parse(readFileSync(path.join(this.stateDir, 'local-pods.json'), 'utf8')).processes ?? [];
    } catch {
      return [];
    }
  }

  /** local-pods.json's `pods`: name, ip, sidecar, restarts. */
  pods() {
    try {
      return JSON.parse(readFileSync(path.join(this.stateDir, 'local-pods.json'), 'utf8')).pods ?? [];
    } catch {
      return [];
    }
  }

  process(match) {
    const p = this.processes().find((x) => (typeof match === 'string' ? x.name === match : match.test(x.name)));
    if (p === undefined) throw new Error(`no process ${match} in local-pods.json`);
    return p;
  }

  kill(match, signal = 'SIGKILL') {
    const p = this.process(match);
    process.kill(p.pid, signal);
    return p;
  }

  /** POST /api/v1/config/apply (what `trellis apply` sends); the response's status and body. */
  async apply(objects) {
    const res = await request(`${this.controlPlaneUrl}/api/v1/config/apply?namespace=default`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ objects }), headersTimeout: 5000, bodyTimeout: 5000 });
    return { status: res.statusCode, body: await res.body.text() };
  }

  async remove(kind, name) {
    const res = await request(`${this.controlPlaneUrl}/api/v1/config/${kind}/default/${name}`, { method: 'DELETE' });
    await res.body.dump();
    return res.statusCode;
  }

  async list(kind) {
    const res = await request(`${this.controlPlaneUrl}/api/v1/config/${kind}`, { headersTimeout: 3000 });
    const body = await res.body.json();
    return Array.isArray(body) ? body : body.items ?? [];
  }

  /** How many proxies hold an ADS stream to the control plane (its /debug/syncz; 0 when it is down). */
  async connectedProxies() {
    try {
      const res = await request(`${this.controlPlaneUrl}/debug/syncz`, { headersTimeout: 1000, bodyTimeout: 1000 });
      const body = await res.body.json();
      return Array.isArray(body) ? body.length : 0;
    } catch {
      return 0;
    }
  }

  async ready() {
    try {
      const res = await request(`${this.controlPlaneUrl}/ready`, { headersTimeout: 1000 });
      await res.body.dump();
      return res.statusCode === 200;
    } catch {
      return false;
    }
  }

  async stop() {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}
