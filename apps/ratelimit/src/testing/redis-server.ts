import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RedisClient } from '../redis/client';

/**
 * A real Debian redis-server for tests: no TCP port (`--port 0`), a unix socket in a temporary
 * directory, no persistence. `kill` stops the server and `restart` brings it back on the same socket.
 */
export interface TestRedis {
  readonly socket: string;
  kill(): Promise<void>;
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function ready(child: ChildProcess, socket: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (existsSync(socket)) {
      const c = new RedisClient({ socketType: 'unix', url: socket });
      const ok = await c.pipeline([['PING']]).then(() => true, () => false);
      await c.close();
      if (ok) return;
    }
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error("redis-server did not start (is Debian's redis-server installed?)");
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startTestRedis(): Promise<TestRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-redis-'));
  const socket = path.join(dir, 'redis.sock');
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    const c = spawn('redis-server', ['--port', '0', '--unixsocket', socket, '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
    child = c;
    await ready(c, socket);
  };
  const kill = async (): Promise<void> => {
    const c = child;
    child = undefined;
    if (c === undefined || c.exitCode !== null) return;
    const exited = new Promise<void>((r) => c.once('exit', () => r()));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    socket,
    kill,
    restart: start,
    stop: async () => {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
