import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { stringify } from 'yaml';
import { formatValidationError, parseYamlDocuments, validateConfig, type IstioConfig } from '@trellis/mesh-api';
import { errorMessage, type Logger } from '@trellis/shared';
import { type StepHook, recoverJournal, writeJournaled } from './journal';
import { kindIdOf, MemoryConfigStore, type StoreOptions } from './memory-store';

export interface FileStoreOptions extends StoreOptions {
  logger?: Logger;
  /** Called after each step of a journaled write (tests kill a real process there). */
  onJournalStep?: StepHook;
}

/** A file that could not be loaded at start (the store starts anyway, without it). */
export interface LoadError {
  file: string;
  message: string;
}

async function listYamlFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true, recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return entries.filter((e) => e.isFile() && e.name.endsWith('.yaml')).map((e) => join(e.parentPath, e.name)).sort();
}

/**
 * ConfigStore persisted as YAML files: `<stateDir>/config/<Kind>/<namespace>/<name>.yaml`.
 * One apply or delete is one journaled write (journal.ts): all its files or none survive a crash,
 * and each file is written to a temp file and renamed, so none is ever half written.
 */
export class FileConfigStore extends MemoryConfigStore {
  readonly loadErrors: LoadError[] = [];
  private readonly root: string;

  private constructor(stateDir: string, private readonly options: FileStoreOptions) {
    super(options);
    this.root = join(stateDir, 'config');
  }

  /** Open (and load) the store under `stateDir`; corrupt files are reported in `loadErrors`. */
  static async open(stateDir: string, options: FileStoreOptions = {}): Promise<FileConfigStore> {
    const store = new FileConfigStore(stateDir, options);
    const recovered = await recoverJournal(store.root);
    if (recovered > 0) options.logger?.info({ files: recovered }, 'config journal rolled forward (a write was cut short)');
    for (const file of await listYamlFiles(store.root)) await store.loadFile(file);
    return store;
  }

  pathOf(o: Pick<IstioConfig, 'apiVersion' | 'kind' | 'metadata'>): string {
    return join(this.root, kindIdOf(o), o.metadata.namespace ?? 'default', `${o.metadata.name}.yaml`);
  }

  protected override async persist(writes: readonly IstioConfig[], deletes: readonly IstioConfig[]): Promise<void> {
    const entries = [
      ...writes.map((o) => ({ file: this.pathOf(o), text: stringify(o) })),
      ...deletes.map((o) => ({ file: this.pathOf(o), text: null })),
    ];
    if (entries.length > 0) await writeJournaled(this.root, entries, this.options.onJournalStep);
  }

  private async loadFile(file: string): Promise<void> {
    const fail = (message: string): void => {
      this.loadErrors.push({ file, message });
      this.options.logger?.warn({ file, reason: message }, 'skipping unreadable config file');
    };
    try {
      const { objects, errors } = parseYamlDocuments(await readFile(file, 'utf8'), file);
      if (errors.length > 0 || objects.length !== 1) return fail(errors[0]?.message ?? `expected 1 object, found ${objects.length}`);
      const [kind, namespace] = relative(this.root, file).split(sep);
      const result = validateConfig(objects, { namespace: namespace ?? 'default' });
      const o = result.valid[0];
      if (o === undefined) return fail(result.errors.map(formatValidationError).join('; '));
      if (kindIdOf(o) !== kind || this.pathOf(o) !== file) return fail('file location does not match the object kind/namespace/name');
      this.load(o);
    } catch (err) {
      fail(errorMessage(err));
    }
  }
}
