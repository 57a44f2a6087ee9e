import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { createProxy } from '../proxy';
import { loadOriginalDst } from './original-dst';

/**
 * Pins the SO_ORIGINAL_DST seam (unsafe/original-dst.ts) on a real kernel: a network namespace of
 * its own with nat `REDIRECT` rules (iptables and ip6tables, OUTPUT chain, as istio-iptables writes
 * them for the app's outbound traffic), servers and clients in a child Node process inside it. The
 * child runs the seam itself (bundled with esbuild), so a Node upgrade that drops
 * `socket._handle.fd` fails here. Needs root, `ip` and `iptables`; skipped with the reason otherwise.
 * Nothing is changed outside the namespace, which afterAll deletes.
 */

const root = path.resolve(__dirname, '../../../../..');
const buildScript = path.join(root, 'libs/mesh/proxy/native/original-dst/build.mjs');

function onPath(bin: string): boolean {
  return (process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin').split(':').some((dir) => {
    try {
      accessSync(path.join(dir, bin), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function missingPrerequisite(): string | undefined {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'must run as root (ip netns, iptables)';
  const missing = ['ip', 'iptables', 'ip6tables'].filter((b) => !onPath(b));
  return missing.length > 0 ? `missing ${missing.join(', ')} (apt-get install -y iptables iproute2)` : undefined;
}

function sh(file: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, [...args], { timeout: 20_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${file} ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout)));
  });
}

/** The addon from the build cache (built on first use; ~1 s). */
function addonFile(): string {
  const out = execFileSync(process.execPath, [buildScript, '--strict'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return out.trim().split('\n').at(-1) as string;
}

describe('original destination seam: unavailable paths', () => {
  it('reports private APIs disabled without touching the addon', () => {
    expect(loadOriginalDst({ privateApis: false })).toEqual({ available: false, reason: 'private APIs disabled' });
  });

  it('reports a missing addon file instead of throwing', () => {
    const r = loadOriginalDst({ file: path.join(tmpdir(), 'no-such-dir', 'original_dst.node') });
    expect(r.available).toBe(false);
    if (!r.available) expect(r.reason).toMatch(/original_dst\.node not found/);
  });

  it('is chosen once when the proxy starts, and logged', async () => {
    const logs: Record<string, unknown>[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
    const proxy = createProxy({ mode: 'sidecar', logger, drainMs: 0, privateApis: false });
    await proxy.close();
    expect(logs.filter((l) => l['msg'] === 'original destination reader chosen')).toEqual([expect.objectContaining({ originalDst: 'unavailable', reason: 'private APIs disabled' })]);
  });
});

const skipReason = missingPrerequisite();
if (skipReason !== undefined) {
  process.stderr.write(`original-dst netns test skipped: ${skipReason}\n`);
  describe.skip(`SO_ORIGINAL_DST through a real nat REDIRECT (skipped: ${skipReason})`, () => {
    it('reads the redirected destination', () => undefined);
  });
} else {
  describe('SO_ORIGINAL_DST through a real nat REDIRECT', () => {
    const tag = `tod${Math.floor(Math.random() * 0xfffff).toString(16)}`;
    const octet = 1 + Math.floor(Math.random() * 250);
    const vip4 = `10.250.${octet}.9`;
    const vip6 = `fd00:250:${octet.toString(16)}::9`;
    const [p4, pDual] = [24_000 + octet, 25_000 + octet];
    let created = false;
    let work = '';
    let results: Record<string, unknown> = {};

    beforeAll(async () => {
      const addon = addonFile();
      work = mkdtempSync(path.join(tmpdir(), `${tag}-`));
      // The seam as the proxy bundle has it, loadable by a plain `node` inside the namespace.
      const seam = path.join(work, 'original-dst.js');
      (require('esbuild') as typeof import('esbuild')).buildSync({ entryPoints: [path.join(__dirname, 'original-dst.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: seam, logLevel: 'warning' });

      await sh('ip', ['netns', 'add', tag]);
      created = true;
      const ipn = (...a: string[]): Promise<string> => sh('ip', ['-n', tag, ...a]);
      await ipn('link', 'set', 'lo', 'up');
      // A route for the VIPs (connect() needs one before netfilter is consulted): a veth pair kept
      // inside the namespace (dummy links need a module that containers may lack).
      await ipn('link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1');
      await ipn('link', 'set', 'v0', 'up');
      await ipn('link', 'set', 'v1', 'up');
      await ipn('addr', 'add', `10.250.${octet}.1/24`, 'dev', 'v0');
      await ipn('-6', 'addr', 'add', `fd00:250:${octet.toString(16)}::1/64`, 'dev', 'v0', 'nodad');
      const redirect = (bin: string, to: string, dport: number, toPort: number): Promise<string> =>
        sh('ip', ['netns', 'exec', tag, bin, '-t', 'nat', '-A', 'OUTPUT', '-p', 'tcp', '-d', to, '--dport', String(dport), '-j', 'REDIRECT', '--to-ports', String(toPort)]);
      await redirect('iptables', vip4, 3306, p4);
      await redirect('iptables', vip4, 3307, pDual);
      await redirect('ip6tables', vip6, 3306, pDual);

      // One server on 0.0.0.0 (IPv4 sockets), one on :: (v4-mapped and IPv6 sockets); each
      // connection's accepted socket is read once, then the results are printed as JSON.
      const child = `
        const net = require('node:net');
        const { loadOriginalDst } = require(${JSON.stringify(seam)});
        const reader = loadOriginalDst({ file: ${JSON.stringify(addon)} });
        if (!reader.available) { console.log(JSON.stringify({ unavailable: reader.reason })); process.exit(0); }
        const cases = [
          ['ipv4', ${JSON.stringify(vip4)}, 3306, ${p4}],
          ['v4mapped', ${JSON.stringify(vip4)}, 3307, ${pDual}],
          ['ipv6', ${JSON.stringify(vip6)}, 3306, ${pDual}],
          ['direct', '127.0.0.1', ${p4}, ${p4}],
          ['directDual', '127.0.0.1', ${pDual}, ${pDual}],
          ['directIpv6', '::1', ${pDual}, ${pDual}],
        ];
        const out = {};
        const pending = new Map();
        const onConn = (s) => { s.once('data', (d) => { out[d.toString()] = { read: reader.read(s) ?? null, local: s.localAddress + ':' + s.localPort }; s.destroy(); out[d.toString()].afterClose = reader.read(s) ?? null; pending.get(d.toString())(); }); };
        const servers = [net.createServer(onConn).listen(${p4}, '0.0.0.0'), net.createServer(onConn).listen(${pDual}, '::')];
        Promise.all(servers.map((s) => new Promise((r) => s.once('listening', r)))).then(async () => {
          for (const [name, host, port] of cases) {
            await new Promise((resolve, reject) => {
              pending.set(name, resolve);
              net.connect(port, host, function () { this.end(name); }).on('error', (e) => { out[name] = { error: e.message }; resolve(); });
            });
          }
          console.log(JSON.stringify(out));
          process.exit(0);
        });
      `;
      results = JSON.parse(await sh('ip', ['netns', 'exec', tag, process.execPath, '-e', child])) as Record<string, unknown>;
    }, 120_000);

    afterAll(async () => {
      if (created) await sh('ip', ['netns', 'del', tag]).catch((err: Error) => process.stderr.write(`${err.message}\n`));
      if (work !== '') rmSync(work, { recursive: true, force: true });
    });

    it('loads the addon', () => {
      expect(results).not.toHaveProperty('unavailable');
    });

    it('reads the address an IPv4 client dialled, on an IPv4 listener (undefined once the socket is closed)', () => {
      expect(results['ipv4']).toEqual({ read: { address: vip4, port: 3306 }, local: `127.0.0.1:${p4}`, afterClose: null });
    });

    it('reads it for a v4-mapped connection on a dual-stack (::) listener', () => {
      expect(results['v4mapped']).toEqual({ read: { address: vip4, port: 3307 }, local: `::ffff:127.0.0.1:${pDual}`, afterClose: null });
    });

    it('reads it for IPv6 (ip6tables REDIRECT)', () => {
      expect(results['ipv6']).toEqual({ read: { address: vip6, port: 3306 }, local: `::1:${pDual}`, afterClose: null });
    });

    it('reads undefined for connections that were not redirected', () => {
      expect(results['direct']).toEqual({ read: null, local: `127.0.0.1:${p4}`, afterClose: null });
      expect(results['directDual']).toEqual({ read: null, local: `::ffff:127.0.0.1:${pDual}`, afterClose: null });
      expect(results['directIpv6']).toEqual({ read: null, local: `::1:${pDual}`, afterClose: null });
    });
  });
}
