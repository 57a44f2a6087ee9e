import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MeshConfig } from '@trellis/mesh-api';
import { errorMessage, silentLogger, type Logger } from '@trellis/shared';
import { parseMeshConfig, withMeshDefaults, type MeshConfigSource } from './mesh-config-source';

export interface FileMeshConfigOptions {
  /** The MeshConfig YAML (local mode: `<state>/mesh.yaml`); a missing file = Istio's defaults. */
  readonly file: string;
  readonly logger?: Logger;
  /** Quiet time after a file event before reading (editors write in several steps); default 50 ms. */
  readonly settleMs?: number;
}

/**
 * MeshConfig from a YAML file, read at start and again whenever it changes (the directory is watched,
 * so a file created later, or replaced by an editor's rename, is seen). A file that does not parse is
 * logged with its path and the last good MeshConfig stays.
 */
export class FileMeshConfig implements MeshConfigSource {
  private current: MeshConfig = withMeshDefaults({});
  private text: string | undefined;
  private readonly listeners = new Set<() => void>();
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private readonly logger: Logger;

  private constructor(private readonly options: FileMeshConfigOptions) {
    this.logger = options.logger ?? silentLogger();
  }

  static async open(options: FileMeshConfigOptions): Promise<FileMeshConfig> {
    const source = new FileMeshConfig(options);
    await source.reload();
    const name = path.basename(options.file);
    source.watcher = watch(path.dirname(options.file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(source.timer);
      source.timer = setTimeout(() => void source.reload(), options.settleMs ?? 50);
    });
    return source;
  }

  meshConfig(): MeshConfig {
    return this.current;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Re-read the file now (also what the watcher does); resolves when done. */
  reload(): Promise<void> {
    this.reading = this.reading.then(() => this.read());
    return this.reading;
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.listeners.clear();
  }

  private async read(): Promise<void> {
    const file = this.options.file;
    const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => (e.code === 'ENOENT' ? '' : Promise.reject(e))).catch((e: unknown) => {
      this.logger.warn({ file, err: errorMessage(e) }, 'mesh config unreadable, keeping the last good');
      return undefined;
    });
    if (text === undefined || text === this.text) return;
    try {
      this.current = withMeshDefaults(parseMeshConfig(text, file));
    } catch (e) {
      this.logger.error({ file, err: errorMessage(e) }, 'mesh config invalid, keeping the last good');
      return;
    }
    this.text = text;
    this.logger.info({ file }, 'mesh config loaded');
    for (const l of [...this.listeners]) l();
  }
}
