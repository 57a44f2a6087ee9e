import { chmod, mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { parseYamlDocuments, validateSecrets, type KubeSecret } from '@trellis/mesh-api';
import { errorMessage, type Logger } from '@trellis/shared';
import { removeIfExists, writeTemp } from '../store/atomic-file';
import { MemorySecretStore } from './secret-store';

/**
 * Secrets persisted as `<stateDir>/secrets/<namespace>/<name>.yaml`, files 0600 in 0700 directories
 * (key material: readable by the control plane's user only). Unreadable files are skipped with a
 * warning naming the file, never its content.
 */
export class FileSecretStore extends MemorySecretStore {
  private readonly root: string;

  private constructor(stateDir: string, private readonly logger?: Logger) {
    super();
    this.root = join(stateDir, 'secrets');
  }

  static async open(stateDir: string, logger?: Logger): Promise<FileSecretStore> {
    const store = new FileSecretStore(stateDir, logger);
    await mkdir(store.root, { recursive: true, mode: 0o700 });
    await chmod(store.root, 0o700);
    for (const ns of await readdir(store.root, { withFileTypes: true })) {
      if (!ns.isDirectory()) continue;
      for (const f of await readdir(join(store.root, ns.name))) if (f.endsWith('.yaml')) await store.loadFile(join(store.root, ns.name, f), ns.name);
    }
    return store;
  }

  private pathOf(s: KubeSecret): string {
    return join(this.root, s.metadata.namespace ?? 'default', `${s.metadata.name}.yaml`);
  }

  protected override async persist(writes: readonly KubeSecret[], deletes: readonly KubeSecret[]): Promise<void> {
    for (const s of writes) {
      await mkdir(join(this.root, s.metadata.namespace ?? 'default'), { recursive: true, mode: 0o700 });
      const tmp = await writeTemp(this.pathOf(s), stringify(s));
      await chmod(tmp, 0o600);
      await rename(tmp, this.pathOf(s));
    }
    for (const s of deletes) await removeIfExists(this.pathOf(s));
  }

  private async loadFile(file: string, namespace: string): Promise<void> {
    try {
      const { objects } = parseYamlDocuments(await readFile(file, 'utf8'), file);
      const s = validateSecrets(objects, namespace).valid[0];
      if (s === undefined || this.pathOf(s) !== file) throw new Error('not a valid Secret for this location');
      this.load(s);
    } catch (err) {
      this.logger?.warn({ file, reason: errorMessage(err) }, 'skipping unreadable secret file');
    }
  }
}
