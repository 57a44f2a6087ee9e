/**
 * Starts a built Bookinfo app (`node dist/apps/<name>/main.js`) as a real process with PORT=0 and
 * waits for its `listening` log line (info level: do not set LOG_LEVEL above info) to learn the
 * port. Tests must call `stop()` (SIGTERM, then SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { stopChild } from '@trellis/shared';

export interface SpawnedApp {
  readonly name: string;
  readonly port: number;
  readonly origin: string;
  /** Every stdout line so far (JSON logs). */
  readonly logs: string[];
  stop(): Promise<void>;
}

export interface SpawnOptions {
  readonly workspaceRoot: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly readyTimeoutMs?: number;
}

const stopProcess = (child: ChildProcess): Promise<void> => stopChild(child, 3000);

function portFromLine(line: string): number | undefined {
  try {
    const entry = JSON.parse(line) as { msg?: unknown; port?: unknown };
    return entry.msg === 'listening' && typeof entry.port === 'number' ? entry.port : undefined;
  } catch {
    return undefined;
  }
}

export function spawnApp(name: string, options: SpawnOptions): Promise<SpawnedApp> {
  const main = path.join(options.workspaceRoot, 'dist/apps', name, 'main.js');
  const env = { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', ...options.env };
  const child = spawn(process.execPath, [main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: string[] = [];
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stopProcess(child);
      reject(new Error(`${name} not ready: ${stderr.join('')}${logs.join('\n')}`));
    }, options.readyTimeoutMs ?? 15000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with ${String(code)}: ${stderr.join('')}${logs.join('\n')}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      logs.push(line);
      const port = portFromLine(line);
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({ name, port, origin: `http://127.0.0.1:${port}`, logs, stop: () => stopProcess(child) });
    });
  });
}
