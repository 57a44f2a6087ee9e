import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '@trellis/shared';
import { type DomainConfig, mergeDomains, parseConfigFile } from './config';

/**
 * The config directory (a mounted ConfigMap: `config.yaml` plus kubelet's `..data` dotfiles), read
 * at start — a bad config then stops the service, as the Go one — and again every few seconds: a
 * changed, valid config replaces the current one; an invalid one is logged and the last good kept.
 */
export type Domains = ReadonlyMap<string, DomainConfig>;

export function loadConfigDir(dir: string, ignoreDotFiles: boolean): Domains {
  const files = readdirSync(dir)
    .filter((f) => !(ignoreDotFiles && f.startsWith('.')))
    .map((f) => path.join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
  return mergeDomains(files.flatMap((f) => parseConfigFile(f, readFileSync(f, 'utf8'))));
}

export class ConfigWatcher {
  private current: Domains;
  private fingerprint: string;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly dir: string,
    private readonly ignoreDotFiles: boolean,
    reloadMs: number,
    private readonly logger: Logger,
  ) {
    this.current = loadConfigDir(dir, ignoreDotFiles);
    this.fingerprint = this.stamp();
    this.timer = setInterval(() => this.reload(), reloadMs);
    this.timer.unref();
  }

  get domains(): Domains {
    return this.current;
  }

  close(): Promise<void> {
    clearInterval(this.timer);
    return Promise.resolve();
  }

  /** Names, sizes and modification times of the directory's files. */
  private stamp(): string {
    try {
      return readdirSync(this.dir).map((f) => {
        const s = statSync(path.join(this.dir, f));
        return `${f}:${s.size}:${s.mtimeMs}`;
      }).join('|');
    } catch {
      return '';
    }
  }

  private reload(): void {
    const stamp = this.stamp();
    if (stamp === this.fingerprint) return;
    this.fingerprint = stamp;
    try {
      this.current = loadConfigDir(this.dir, this.ignoreDotFiles);
      this.logger.info({ domains: [...this.current.keys()] }, 'rate limit config reloaded');
    } catch (err) {
      this.logger.error({ err }, 'rate limit config not loaded; the last good one stays');
    }
  }
}
