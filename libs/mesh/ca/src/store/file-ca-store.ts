import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CA_FILE_NAMES, type CaFiles } from '../ca/ca-files';
import type { CaMaterialStore } from './ca-store';

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function readDir(dir: string): Promise<CaFiles | undefined> {
  const [caCert, caKey, certChain, rootCert] = await Promise.all(Object.values(CA_FILE_NAMES).map((f) => readOptional(path.join(dir, f))));
  if (caCert === undefined && caKey === undefined) return undefined;
  // A half-present pair is reported by the bundle check, naming the empty file.
  return { caCert: caCert ?? '', caKey: caKey ?? '', certChain, rootCert };
}

export interface FileCaStoreOptions {
  /** Self-signed CA directory (`<state dir>/ca`): `ca-cert.pem`, `ca-key.pem` (0600), dir 0700. */
  readonly dir: string;
  /** Plugged-in material with Istio's four file names (Istio mounts `cacerts` at `./etc/cacerts`). */
  readonly pluggedInDir?: string;
}

/**
 * Local mode's store. A new CA is written to a private temporary directory and renamed into place,
 * so a reader sees the whole pair or nothing, and two starting processes cannot mix halves.
 */
export function fileCaStore(options: FileCaStoreOptions): CaMaterialStore {
  return {
    location: options.dir,
    loadPluggedIn: async () => (options.pluggedInDir === undefined ? undefined : readDir(options.pluggedInDir)),
    loadSelfSigned: () => readDir(options.dir),
    saveSelfSigned: async (files) => {
      await mkdir(path.dirname(options.dir), { recursive: true });
      const tmp = `${options.dir}.tmp-${randomBytes(6).toString('hex')}`;
      await mkdir(tmp, { mode: 0o700 });
      try {
        await writeFile(path.join(tmp, CA_FILE_NAMES.caCert), files.caCert, { mode: 0o644 });
        await writeFile(path.join(tmp, CA_FILE_NAMES.caKey), files.caKey, { mode: 0o600 });
        await chmod(tmp, 0o700);
        await rename(tmp, options.dir);
        return files;
      } catch (err) {
        await rm(tmp, { recursive: true, force: true });
        const code = (err as NodeJS.ErrnoException).code;
        const stored = code === 'ENOTEMPTY' || code === 'EEXIST' ? await readDir(options.dir) : undefined;
        if (stored === undefined) throw err;
        return stored;
      }
    },
  };
}
