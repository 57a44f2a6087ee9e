/** Real children: a SIGKILLed process comes back after its back-off; stop and stopAll end the supervision. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createLogger } from '@trellis/shared';
import { ProcessGroup, type ProcessSpec } from './processes';
import { supervisedGroup } from './supervised-group';

const sleeper = (name: string): ProcessSpec => ({ name, script: '-e', args: ["console.log('up', process.pid); setInterval(() => {}, 1000)"], env: {} });
const until = async (what: string, ok: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('process supervision', () => {
  let dir: string;
  let group: ProcessGroup;
  const lines: string[] = [];
  let changes = 0;
  const runs = (): number => {
    try {
      return readFileSync(path.join(dir, 'logs', 'reviews-v2.log'), 'utf8').split('up ').length - 1;
    } catch {
      return 0;
    }
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'trellis-supervise-'));
    lines.length = 0;
    group = supervisedGroup(dir, createLogger({ name: 'test', level: 'silent' }), (l) => lines.push(l), { initialMs: 100, maxMs: 1000, resetAfterMs: 60_000 }, () => (changes += 1));
  });
  afterEach(async () => {
    await group.stopAll(2000);
    rmSync(dir, { recursive: true, force: true });
  });

  it('restarts a SIGKILLed child after 100ms, then 200ms, with the count and exit 137 in the output and status', async () => {
    const first = group.start(sleeper('reviews-v2'));
    await until('first run', () => runs() === 1);
    first.child.kill('SIGKILL');
    await until('CrashLoopBackOff', () => group.statuses()[0]?.state === 'CrashLoopBackOff');
    expect(group.statuses()[0]).toMatchObject({ state: 'CrashLoopBackOff', restarts: 0, lastExitCode: 137 });
    expect(group.names()).toEqual([]);
    await until('restart 1', () => group.statuses()[0]?.restarts === 1 && group.names().length === 1);
    await until('second run', () => runs() === 2);
    const pid1 = group.statuses()[0]?.pid;
    // never kill(0): that is this test's own process group
    if (pid1 === undefined || pid1 <= 0) throw new Error(`no pid for the second run: ${JSON.stringify(group.statuses())}`);
    expect(pid1).not.toBe(first.child.pid);
    process.kill(pid1, 'SIGKILL');
    await until('restart 2', () => group.statuses()[0]?.restarts === 2 && group.names().length === 1);
    expect(group.statuses()[0]).toMatchObject({ name: 'reviews-v2', state: 'Running', restarts: 2, lastExitCode: 137 });
    expect(lines).toEqual([
      expect.stringMatching(/^✘ reviews-v2 exited unexpectedly \(exit 137\), back-off 100ms restarting failed container \(CrashLoopBackOff\); see .*reviews-v2\.log$/),
      '↻ reviews-v2 restarted (exit 137), restart 1, back-off 100ms',
      expect.stringMatching(/^✘ reviews-v2 exited unexpectedly \(exit 137\), back-off 200ms/),
      '↻ reviews-v2 restarted (exit 137), restart 2, back-off 200ms',
    ]);
    expect(changes).toBeGreaterThanOrEqual(5);
    await until('three runs in one log', () => runs() === 3);
  });

  it('an exit code of its own is kept; stop() during the back-off cancels the restart', async () => {
    group.start({ name: 'crasher', script: '-e', args: ['process.exit(3)'], env: {} });
    await until('crash', () => group.statuses()[0]?.state === 'CrashLoopBackOff');
    expect(group.statuses()[0]?.lastExitCode).toBe(3);
    expect(await group.stop('crasher', 1000)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(group.names()).toEqual([]);
    expect(group.statuses()).toEqual([]);
    expect(lines.filter((l) => l.startsWith('↻'))).toEqual([]);
  });

  it('stopAll ends the supervision: nothing is restarted and nothing is reported', async () => {
    group.start(sleeper('a'));
    group.start(sleeper('b'));
    await until('both up', () => group.names().length === 2);
    await group.stopAll(2000);
    await new Promise((r) => setTimeout(r, 300));
    expect(group.names()).toEqual([]);
    expect(lines).toEqual([]);
  });
});
