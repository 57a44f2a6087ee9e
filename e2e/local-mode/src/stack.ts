import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from '@trellis/mesh-local';

export const ROOT = path.resolve(__dirname, '../../..');

/** A running `npm start` (the built local runner) on its own addresses, ports and state dir. */
export interface TestStack {
  readonly gatewayUrl: string;
  /** The host port of the gateway's 8443 (`--https-port`): `SECURE_INGRESS_PORT`. */
  readonly httpsPort: number;
  readonly stateDir: string;
  readonly addressBlock: string;
  readonly output: () => string;
  readonly startupMs: number;
  stop(): Promise<number | null>;
}

function randomBlock(): string {
  return `127.${100 + Math.floor(Math.random() * 150)}.${1 + Math.floor(Math.random() * 250)}`;
}

export async function startStack(options: { stateDir?: string; addressBlock?: string; reset?: boolean; args?: readonly string[] } = {}): Promise<TestStack> {
  const stateDir = options.stateDir ?? mkdtempSync(path.join(tmpdir(), 'trellis-e2e-'));
  const addressBlock = options.addressBlock ?? randomBlock();
  const port = await freePort();
  const httpsPort = await freePort();
  const args = ['--port', String(port), '--https-port', String(httpsPort), '--state-dir', stateDir, '--address-block', addressBlock, '--log-level', 'warn'];
  if (options.reset) args.push('--reset');
  // Kiali (port 20001 by default) only where a test asks for it with its own --kiali-port.
  if (!(options.args ?? []).includes('--kiali-port')) args.push('--no-kiali');
  args.push(...(options.args ?? []));
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/apps/local-runner/main.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await waitForLine(child, () => out, /Bookinfo is ready: (\S+)\/productpage/, 90_000);
  return {
    gatewayUrl: `http://127.0.0.1:${port}`,
    httpsPort,
    stateDir,
    addressBlock,
    output: () => out,
    startupMs: Date.now() - started,
    stop: async () => {
      child.kill('SIGINT');
      return exited;
    },
  };
}

function waitForLine(child: ChildProcess, output: () => string, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      // SIGINT stops the stack's children too (each runs in its own process group); SIGKILL only if it hangs.
      child.kill('SIGINT');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      reject(new Error(`local stack did not become ready in ${timeoutMs} ms:\n${output()}`));
    }, timeoutMs);
    const check = (): void => {
      if (pattern.test(output())) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${code}:\n${output()}`));
    });
  });
}

export function removeStateDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

export function controlPlaneAddress(stateDir: string): string {
  return (JSON.parse(readFileSync(path.join(stateDir, 'control-plane.json'), 'utf8')) as { address: string }).address;
}
