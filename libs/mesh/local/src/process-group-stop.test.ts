/**
 * Real children: stopping the group stops each child's whole process group (a grandchild too), nothing
 * starts once stopping, a command that cannot be spawned crash-loops as exit 127, killAll is immediate.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger, isTrellisError } from '@trellis/shared';
import { ProcessGroup, type ProcessSpec } from './processes';
import { supervisedGroup } from './supervised-group';

const alive = (pid: number): boolean => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
const until = async (what: string, ok: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
// a shell that starts a grandchild and ignores SIGTERM itself (as a slow-draining app would)
const parentOfSleeper: ProcessSpec = { name: 'app', command: '/bin/sh', script: '', args: ['-c', "trap '' TERM; sleep 300 & echo child $!; wait"], env: {} };

describe('process group stop', () => {
  let dir: string;
  let group: ProcessGroup;
  const lines: string[] = [];
  const grandchildren: number[] = [];
  const grandchild = async (): Promise<number> => {
    const log = path.join(dir, 'logs', 'app.log');
    await until('the grandchild', () => existsSync(log) && /child \d+/.test(readFileSync(log, 'utf8')));
    const pid = Number(/child (\d+)/.exec(readFileSync(log, 'utf8'))?.[1]);
    grandchildren.push(pid);
    return pid;
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'trellis-group-stop-'));
    lines.length = 0;
    group = supervisedGroup(dir, createLogger({ name: 'test', level: 'silent' }), (l) => lines.push(l), { initialMs: 100, maxMs: 1000, resetAfterMs: 60_000 });
  });
  afterEach(async () => {
    group.killAll();
    for (const pid of grandchildren.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('stopAll SIGTERMs the child’s process group, then SIGKILLs it after the grace: no grandchild survives', async () => {
    const app = group.start(parentOfSleeper);
    const pid = await grandchild();
    expect(alive(pid)).toBe(true);
    const t0 = Date.now();
    await group.stopAll(300);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250); // the shell ignored SIGTERM: SIGKILL after the grace
    await until('the grandchild gone', () => !alive(pid), 2000);
    expect(alive(app.child.pid ?? 0)).toBe(false);
    expect(lines.filter((l) => l.includes('exited unexpectedly'))).toEqual([]);
  });

  it('once stopping, start() refuses with STACK_STOPPING and the group’s stopped signal is aborted', async () => {
    expect(group.stopped.aborted).toBe(false);
    await group.stopAll(100);
    expect(group.stopped.aborted).toBe(true);
    let err: unknown;
    try {
      group.start(parentOfSleeper);
    } catch (e) {
      err = e;
    }
    expect(isTrellisError(err) && err.code).toBe('STACK_STOPPING');
    expect(group.names()).toEqual([]);
  });

  it('killAll SIGKILLs every process group at once and says how many', async () => {
    const app = group.start(parentOfSleeper);
    const pid = await grandchild();
    expect(group.killAll()).toBe(1);
    await app.exited;
    await until('the grandchild gone', () => !alive(pid), 2000);
  });

  it('a command that cannot be spawned crash-loops with exit 127 (not an unhandled error)', async () => {
    group.start({ name: 'missing', command: path.join(dir, 'no-such-binary'), script: '', args: [], env: {} });
    await until('a restart', () => lines.some((l) => l.startsWith('↻ missing restarted (exit 127)')));
    expect(lines[0]).toMatch(/^✘ missing exited unexpectedly \(exit 127\), back-off 100ms/);
    expect(readFileSync(path.join(dir, 'logs', 'missing.log'), 'utf8')).toContain('ENOENT');
    expect(group.statuses()[0]?.restarts).toBeGreaterThanOrEqual(1);
  });
});

describe('ProcessGroup without supervision', () => {
  it('reports a spawn failure once, as an unexpected exit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-group-stop-'));
    const exits: Array<[string, number | null]> = [];
    const group = new ProcessGroup(path.join(dir, 'logs'), createLogger({ name: 'test', level: 'silent' }), (name, code) => exits.push([name, code]));
    const p = group.start({ name: 'missing', command: '/nonexistent/binary', script: '', args: [], env: {} });
    expect(await p.exited).toBe(127);
    expect(exits).toEqual([['missing', 127]]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a log file that cannot be opened (its directory removed) is warned about; the child runs and the runner lives', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trellis-group-stop-'));
    const logger = createLogger({ name: 'test', level: 'silent' });
    const warn = jest.spyOn(logger, 'warn');
    const group = new ProcessGroup(path.join(dir, 'logs'), logger, () => undefined);
    rmSync(dir, { recursive: true, force: true });
    const p = group.start({ name: 'app', script: '-e', args: ["console.log('up')"], env: {} });
    expect(await p.exited).toBe(0);
    await until('the warning', () => warn.mock.calls.length > 0);
    expect(warn.mock.calls[0]?.[1]).toBe('process log not written');
    expect(warn.mock.calls[0]?.[0]).toMatchObject({ name: 'app', err: expect.stringContaining('ENOENT') });
  });
});
