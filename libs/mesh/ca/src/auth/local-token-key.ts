import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** `<state dir>/workload-token.key`: 32 random bytes, mode 0600, created once. */
export const LOCAL_TOKEN_KEY_FILE = 'workload-token.key';

/** Read the local token key, creating it (exclusively, 0600) when absent. */
export async function loadOrCreateLocalTokenKey(file: string): Promise<Buffer> {
  await mkdir(path.dirname(file), { recursive: true });
  try {
    await writeFile(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return Buffer.from((await readFile(file, 'utf8')).trim(), 'base64');
}
