import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Write `text` to a temporary file next to `file` and fsync it; returns the temp path. */
export async function writeTemp(file: string, text: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', 0o644);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

/** Replace `file` with `text` atomically (temp file + rename). */
export async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = await writeTemp(file, text);
  await rename(tmp, file);
}

export async function removeIfExists(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
