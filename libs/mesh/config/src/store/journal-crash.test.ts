/**
 * The file store's multi-object writes survive a crash at any point whole or not at all: a real
 * process (journal-crash-child.ts, bundled with esbuild) applies 6 objects — 3 changed, 3 new — or
 * deletes 3, and SIGKILLs itself after each step of the journaled write in turn; the store opened
 * afterwards on the same files holds exactly the state before or exactly the state after.
 */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileConfigStore } from './file-store';
import { journalPath } from './journal';

const vs = (name: string, subset: string): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name },
  spec: { hosts: [name], http: [{ route: [{ destination: { host: name, subset } }] }] },
});
const dr = (name: string): Record<string, unknown> => ({
  apiVersion: 'networking.istio.io/v1',
  kind: 'DestinationRule',
  metadata: { name },
  spec: { host: name, subsets: [{ name: 'v1', labels: { version: 'v1' } }] },
});
const NAMES = ['reviews', 'ratings', 'details'];

let work = '';
let child = '';
let seed = '';

/** Runs the child; resolves with the signal that ended it (or 'exit <code>'). */
function run(stateDir: string, step: string, op: 'apply' | 'delete', objects: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(process.execPath, [child, stateDir, step, op, objects], { timeout: 30_000 }, (err) => {
      const e = err as (Error & { signal?: string; code?: number }) | null;
      resolve(e === null ? 'exit 0' : (e.signal ?? `exit ${String(e.code)}`));
    });
  });
}

/** What the store under `dir` holds: kind/name → subset (VS) or 'dr'. */
async function state(dir: string): Promise<Record<string, string>> {
  const store = await FileConfigStore.open(dir);
  expect(store.loadErrors).toEqual([]);
  const out: Record<string, string> = {};
  for (const o of store.list()) {
    const spec = o.spec as { http?: { route?: { destination?: { subset?: string } }[] }[] };
    out[`${o.kind}/${o.metadata.name}`] = spec.http?.[0]?.route?.[0]?.destination?.subset ?? 'dr';
  }
  return out;
}

/** Every file left under the config root: no journal, no temp file after an open. */
async function leftovers(dir: string): Promise<string[]> {
  const entries = await readdir(join(dir, 'config'), { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && !e.name.endsWith('.yaml')).map((e) => e.name);
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'trellis-journal-'));
  child = join(work, 'child.js');
  (require('esbuild') as typeof import('esbuild')).buildSync({ entryPoints: [join(__dirname, 'journal-crash-child.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: child, logLevel: 'warning' });
  seed = join(work, 'seed');
  const store = await FileConfigStore.open(seed);
  await store.applyAll(NAMES.map((n) => vs(n, 'v1')), { namespace: 'default' });
  await writeFile(join(work, 'apply.json'), JSON.stringify([...NAMES.map((n) => vs(n, 'v2')), ...NAMES.map(dr)]));
  await writeFile(join(work, 'delete.json'), JSON.stringify(NAMES.map((name) => ({ kind: 'VirtualService', namespace: 'default', name }))));
}, 60_000);
afterAll(() => rm(work, { recursive: true, force: true }));

const BEFORE = Object.fromEntries(NAMES.map((n) => [`VirtualService/${n}`, 'v1']));
const AFTER = { ...Object.fromEntries(NAMES.map((n) => [`VirtualService/${n}`, 'v2'])), ...Object.fromEntries(NAMES.map((n) => [`DestinationRule/${n}`, 'dr'])) };
const APPLY_STEPS = ['intent-written', 'committed', 'file-0', 'file-1', 'file-2', 'file-3', 'file-4', 'file-5', 'applied', 'done', 'none'];

const DELETE_STEPS = ['intent-written', 'committed', 'file-1', 'done'];

describe('a process killed during a journaled write', () => {
  // The children run side by side (each in its own copy of the seed state); the cases then read the result.
  const ended = new Map<string, string>();
  beforeAll(async () => {
    const runs = [...APPLY_STEPS.map((s) => ['apply', s] as const), ...DELETE_STEPS.map((s) => ['delete', s] as const)];
    const next = async (): Promise<void> => {
      for (let r = runs.shift(); r !== undefined; r = runs.shift()) {
        const [op, step] = r;
        const dir = join(work, `${op}-${step}`);
        await cp(seed, dir, { recursive: true });
        ended.set(`${op}-${step}`, await run(dir, step, op, join(work, `${op}.json`)));
      }
    };
    await Promise.all([next(), next(), next()]);
  }, 120_000);

  it.each(APPLY_STEPS)('6-object apply, after step %s: all of it or none of it', async (step) => {
    expect(ended.get(`apply-${step}`)).toBe(step === 'none' ? 'exit 0' : 'SIGKILL');
    // Before the journal is renamed into place nothing counts; from then on everything does.
    const dir = join(work, `apply-${step}`);
    expect(await state(dir)).toEqual(step === 'intent-written' ? BEFORE : AFTER);
    expect(await leftovers(dir)).toEqual([]);
  });

  it.each(DELETE_STEPS)('3-object delete, after step %s: all of it or none of it', async (step) => {
    expect(ended.get(`delete-${step}`)).toBe('SIGKILL');
    expect(await state(join(work, `delete-${step}`))).toEqual(step === 'intent-written' ? BEFORE : {});
  });
});

describe('a journal that cannot be trusted', () => {
  it('stops the open with CONFIG_JOURNAL_INVALID naming the file, and applies nothing of it', async () => {
    const dir = join(work, 'bad');
    await cp(seed, dir, { recursive: true });
    await writeFile(journalPath(join(dir, 'config')), JSON.stringify({ version: 1, entries: [{ file: '/etc/passwd', text: 'x' }] }));
    await expect(FileConfigStore.open(dir)).rejects.toMatchObject({ code: 'CONFIG_JOURNAL_INVALID', message: expect.stringContaining('entries[0].file is not under') });
    await writeFile(journalPath(join(dir, 'config')), '{"version":1,"entr');
    await expect(FileConfigStore.open(dir)).rejects.toMatchObject({ code: 'CONFIG_JOURNAL_INVALID' });
  });
});
