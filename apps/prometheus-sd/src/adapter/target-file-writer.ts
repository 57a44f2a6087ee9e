import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { TrellisError } from '@trellis/shared';

export const TARGET_FILE_WRITE_FAILED = 'TARGET_FILE_WRITE_FAILED';

/**
 * Writes a file whole (temporary file + rename in the same directory, so Prometheus's file watcher never reads
 * half a file), and only when its text changed since the last write.
 */
export class TargetFileWriter {
  private readonly last = new Map<string, string>();

  /** Resolves true when the file was written. */
  async write(path: string, text: string): Promise<boolean> {
    if (this.last.get(path) === text) return false;
    const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, text, { mode: 0o644 });
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw new TrellisError(TARGET_FILE_WRITE_FAILED, `cannot write ${path}`, { path }, { cause: err });
    }
    this.last.set(path, text);
    return true;
  }
}
