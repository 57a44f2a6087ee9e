import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CommanderError, InvalidArgumentError } from 'commander';
import { invalidArgument, isCommanderError, releasePackage } from './start-up-modules';

const root = path.resolve(__dirname, '../../..');

/** Bundles `entry` (TypeScript, resolved in this directory) as the build does and runs it as a file (as the proxy's bundle runs) in a real node with --expose-gc; its stdout as JSON. */
function runBundled(entry: string): unknown {
  mkdirSync(path.join(root, 'dist'), { recursive: true });
  const dir = mkdtempSync(path.join(root, 'dist', 'start-up-modules-'));
  const script = `
const { bundleNode } = await import(${JSON.stringify(path.join(root, 'tools/build/bundle.mjs'))});
const r = await bundleNode({ stdin: { contents: ${JSON.stringify(entry)}, resolveDir: ${JSON.stringify(__dirname)}, loader: 'ts' }, write: false });
process.stdout.write(r.outputFiles[0].text);
`;
  try {
    writeFileSync(path.join(dir, 'main.js'), execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, timeout: 60_000 }));
    return JSON.parse(execFileSync(process.execPath, ['--expose-gc', path.join(dir, 'main.js')], { cwd: root, timeout: 30_000 }).toString()) as unknown;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// commander's Command class, held only weakly; `release` decides whether the module system lets it go.
const probe = (release: boolean): string => `
import { commander, releaseCommander } from './start-up-modules';
const ref = new WeakRef(commander().Command);
const dropped = ${release ? 'releaseCommander()' : '0'};
const gc = (globalThis as unknown as { gc: () => void }).gc;
setTimeout(() => {
  gc();
  setTimeout(() => {
    gc();
    const cached = Object.keys(require.cache).filter((f) => f.includes('/node_modules/commander/')).length;
    process.stdout.write(JSON.stringify({ dropped, cached, alive: ref.deref() !== undefined }));
  }, 10);
}, 10);
`;

describe('start-up modules', () => {
  it('commander becomes garbage once released (real node, real module cache)', () => {
    expect(runBundled(probe(false))).toEqual({ dropped: 0, cached: expect.any(Number), alive: true });
    const released = runBundled(probe(true)) as { dropped: number };
    expect(released).toEqual({ dropped: expect.any(Number), cached: 0, alive: false });
    expect(released.dropped).toBeGreaterThan(0);
  }, 90_000);

  it('releasePackage drops the package from the cache and from every parent', () => {
    const commanderMod = { children: [] };
    const other = { children: [] };
    const main = { children: [commanderMod, other] };
    const cache: Record<string, { children: unknown[] } | undefined> = { '/app/main.js': main, '/app/node_modules/commander/index.js': commanderMod, '/app/node_modules/commander-x/index.js': other };
    expect(releasePackage(cache as never, 'commander')).toBe(1);
    expect(Object.keys(cache)).toEqual(['/app/main.js', '/app/node_modules/commander-x/index.js']);
    expect(main.children).toEqual([other]);
  });

  it('tells commander errors by shape, and makes commander argument errors', () => {
    expect(isCommanderError(new CommanderError(2, 'commander.unknownOption', 'x'))).toBe(true);
    expect(isCommanderError(Object.assign(new Error('x'), { code: 'ENOENT', exitCode: 1 }))).toBe(false);
    expect(isCommanderError('commander.x')).toBe(false);
    expect(invalidArgument('bad')).toBeInstanceOf(InvalidArgumentError);
  });
});
