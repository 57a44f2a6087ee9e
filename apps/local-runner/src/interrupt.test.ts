/**
 * The built runner (dist/apps/local-runner/main.js) with real children, interrupted at fixed points of
 * start-up: no process it started may survive it. A process is "its" when its command line names the
 * run's state dir or an address of its block, which every child's does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@trellis/mesh-local';
import { REPEAT_WINDOW_MS } from './signals';

const main = path.resolve(__dirname, '../../../dist/apps/local-runner/main.js');
const BLOCK = '127.0.131';
jest.setTimeout(150_000);

function processesOf(stateDir: string, except: number): Array<{ pid: number; cmd: string }> {
  const found: Array<{ pid: number; cmd: string }> = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === except) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      const zombie = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') === true;
      if (!zombie && (cmd.includes(stateDir) || cmd.includes(`${BLOCK}.`))) found.push({ pid, cmd });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Live processes running `file` (its command line names it). */
function pidsRunning(file: string): number[] {
  return readdirSync('/proc')
    .map(Number)
    .filter((pid) => {
      try {
        return Number.isInteger(pid) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(file) && !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
      } catch {
        return false;
      }
    });
}

interface Run {
  readonly child: ChildProcess;
  readonly stateDir: string;
  output(): string;
  exit: Promise<number | null>;
}

async function startRunner(extra: string[], env: Record<string, string> = {}): Promise<Run> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'trellis-interrupt-'));
  const [port, httpsPort] = [await freePort(), await freePort()];
  const args = [main, '--state-dir', stateDir, '--address-block', BLOCK, '--port', String(port), '--https-port', String(httpsPort), '--no-kiali', '--restart-backoff', '1s', ...extra];
  const child = spawn(process.execPath, args, { env: { PATH: process.env['PATH'] ?? '', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, stateDir, output: () => out, exit };
}

async function until(what: string, ok: () => boolean, run: Run, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end || run.child.exitCode !== null) throw new Error(`no ${what}; output:\n${run.output()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const runs: Run[] = [];
const binDirs: string[] = [];
afterEach(() => {
  for (const run of runs.splice(0)) {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
    for (const p of processesOf(run.stateDir, process.pid)) process.kill(p.pid, 'SIGKILL');
    rmSync(run.stateDir, { recursive: true, force: true });
  }
  for (const dir of binDirs.splice(0)) {
    for (const pid of pidsRunning(dir)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});

async function expectNothingLeft(run: Run, code: number): Promise<void> {
  expect(await run.exit).toBe(code);
  // the runner waited for its children: nothing of this run is left, not even briefly
  expect(processesOf(run.stateDir, process.pid)).toEqual([]);
  expect(existsSync(path.join(run.stateDir, 'local-pods.json'))).toBe(false);
  expect(run.output()).toContain('Stopped.');
}

describe('interrupting npm start during start-up', () => {
  beforeAll(() => {
    if (!existsSync(main)) throw new Error(`build first: ${main} is missing`);
  });

  it('SIGINT while the control plane starts: it is stopped, exit 130', async () => {
    const run = await startRunner([]);
    runs.push(run);
    await until('control plane process', () => processesOf(run.stateDir, run.child.pid ?? 0).some((p) => p.cmd.includes('control-plane')), run);
    run.child.kill('SIGINT');
    await expectNothingLeft(run, 130);
    expect(run.output()).not.toContain('Bookinfo is ready');
  });

  it('SIGTERM while a pod crash-loops in its back-off: every sidecar, app and the control plane stop, exit 143', async () => {
    // /bin/false as go-httpbin: the httpbin pod's container exits 1 at once, again and again
    const run = await startRunner(['--with', 'httpbin'], { TRELLIS_HTTPBIN: '/bin/false' });
    runs.push(run);
    await until('a crash loop', () => /httpbin-\S+ exited unexpectedly \(exit 1\), back-off/.test(run.output()), run);
    const before = processesOf(run.stateDir, run.child.pid ?? 0);
    expect(before.filter((p) => p.cmd.includes('--mode sidecar')).length).toBeGreaterThanOrEqual(2);
    run.child.kill('SIGTERM');
    await expectNothingLeft(run, 143);
    expect(run.output()).not.toMatch(/did not become ready|Error/);
  });

  it('a second SIGINT while sidecars start forces: SIGKILL to everything, exit 130', async () => {
    // an httpbin that ignores SIGTERM (and so does its sleep): the graceful stop would wait out its 5 s grace
    binDirs.push(mkdtempSync(path.join(tmpdir(), 'trellis-interrupt-bin-')));
    const stubborn = path.join(binDirs[binDirs.length - 1] ?? '', 'httpbin');
    writeFileSync(stubborn, "#!/bin/sh\ntrap '' TERM\nwhile :; do sleep 1; done\n", { mode: 0o755 });
    const run = await startRunner(['--with', 'httpbin'], { TRELLIS_HTTPBIN: stubborn });
    runs.push(run);
    await until('sidecars starting', () => processesOf(run.stateDir, run.child.pid ?? 0).filter((p) => p.cmd.includes('--mode sidecar')).length >= 3, run);
    await until('the stubborn httpbin', () => pidsRunning(stubborn).length > 0, run);
    run.child.kill('SIGINT');
    await until('the stop', () => run.output().includes('Stopping (SIGINT)'), run, 10_000);
    // a repeat within REPEAT_WINDOW_MS is the same Ctrl-C (npm forwards it); the stubborn httpbin holds the stop up meanwhile
    await new Promise((r) => setTimeout(r, REPEAT_WINDOW_MS + 100));
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(run.output()).toMatch(/SIGINT again: forced stop, SIGKILL to [1-9]\d* process(es)?$/m);
    // SIGKILLed, not waited for: gone within a moment
    const end = Date.now() + 3000;
    while (processesOf(run.stateDir, process.pid).length > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    expect(processesOf(run.stateDir, process.pid)).toEqual([]);
    expect(pidsRunning(stubborn)).toEqual([]);
  });
});
