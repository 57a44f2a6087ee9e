import { readFile, readdir, rename } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { TrellisError, errorMessage } from '@trellis/shared';
import { removeIfExists, writeAtomic, writeTemp } from './atomic-file';

/**
 * The file store's write-ahead journal: one multi-object write becomes atomic across files. The
 * intent (every file's new text, or null for a removal) is written to a temp file, fsynced and
 * renamed to `<root>/.journal.json` — the commit point —, then the files are written (each temp +
 * rename) and the journal removed. Opening the store rolls a journal left by a crash forward, so a
 * crash at any point keeps all of a write or none of it.
 */
export interface JournalEntry {
  /** Absolute path under the store's root. */
  readonly file: string;
  /** The file's new content; null removes it. */
  readonly text: string | null;
}

/** The steps of one journaled write, in order (the hook lets tests crash a real process at each). */
export type JournalStep = 'intent-written' | 'committed' | `file-${number}` | 'applied' | 'done';

export type StepHook = (step: JournalStep) => void;

export const journalPath = (root: string): string => join(root, '.journal.json');

const noHook: StepHook = () => undefined;

/** Write `entries` as one all-or-nothing change under `root`. */
export async function writeJournaled(root: string, entries: readonly JournalEntry[], hook: StepHook = noHook): Promise<void> {
  const journal = journalPath(root);
  const tmp = await writeTemp(journal, JSON.stringify({ version: 1, entries }));
  hook('intent-written');
  await rename(tmp, journal);
  hook('committed');
  await applyEntries(entries, hook);
  hook('applied');
  await removeIfExists(journal);
  hook('done');
}

async function applyEntries(entries: readonly JournalEntry[], hook: StepHook): Promise<void> {
  for (const [i, e] of entries.entries()) {
    if (e.text === null) await removeIfExists(e.file);
    else await writeAtomic(e.file, e.text);
    hook(`file-${i}`);
  }
}

/** A journal that cannot be trusted (not ours, or a path outside the root): named, never applied. */
const invalidJournal = (root: string, why: string): TrellisError =>
  new TrellisError('CONFIG_JOURNAL_INVALID', `config journal ${journalPath(root)}: ${why}`, { file: journalPath(root) });

function parseJournal(root: string, text: string): JournalEntry[] {
  let body: { version?: unknown; entries?: unknown };
  try {
    body = JSON.parse(text) as typeof body;
  } catch (err) {
    throw invalidJournal(root, `unreadable (${errorMessage(err)})`);
  }
  if (body?.version !== 1 || !Array.isArray(body.entries)) throw invalidJournal(root, 'not a version 1 journal');
  const base = resolve(root) + sep;
  return body.entries.map((e: unknown, i) => {
    const { file, text: content } = (e ?? {}) as { file?: unknown; text?: unknown };
    if (typeof file !== 'string' || !resolve(file).startsWith(base)) throw invalidJournal(root, `entries[${i}].file is not under ${root}`);
    if (content !== null && typeof content !== 'string') throw invalidJournal(root, `entries[${i}].text is neither text nor null`);
    return { file, text: content };
  });
}

/**
 * Roll a committed journal forward (its writes are idempotent) and drop temp files of writes a crash
 * cut short. Returns how many files the journal held (0 = none was left). An unreadable journal
 * throws CONFIG_JOURNAL_INVALID: applying half of one would be worse than refusing to start.
 */
export async function recoverJournal(root: string): Promise<number> {
  await removeTempFiles(root);
  let text: string;
  try {
    text = await readFile(journalPath(root), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  const entries = parseJournal(root, text);
  await applyEntries(entries, noHook);
  await removeIfExists(journalPath(root));
  return entries.length;
}

async function removeTempFiles(root: string): Promise<void> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true, recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const temps = entries.filter((e) => e.isFile() && e.name.endsWith('.tmp'));
  await Promise.all(temps.map((e) => removeIfExists(join(e.parentPath, e.name))));
}
