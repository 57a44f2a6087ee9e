/**
 * The prometheus-config-reloader's job for this pod: when the ConfigMap's prometheus.yml changes (the kubelet
 * swaps the mounted file), render it again, move discovery to the new target files, then ask Prometheus to
 * reload (`POST /-/reload`, `--web.enable-lifecycle`). A configuration that does not render is logged and the
 * running one stays.
 */
import { readFile } from 'node:fs/promises';
import { errorMessage, type Logger } from '@trellis/shared';
import type { KubeClient } from '@trellis/mesh-kube';
import { renderToDisk, type RenderOptions } from './render';
import { SdRunner } from './sd-runner';

export interface ConfigReloaderOptions {
  render: RenderOptions;
  client: KubeClient;
  logger: Logger;
  /** Prometheus's reload endpoint; undefined: re-render only. */
  reloadUrl: string | undefined;
  pollMs: number;
}

export class ConfigReloader {
  private runner: SdRunner | undefined;
  private text = '';
  private timer: NodeJS.Timeout | undefined;
  private busy: Promise<void> = Promise.resolve();

  constructor(private readonly options: ConfigReloaderOptions) {}

  /** Renders, starts discovery and polls the input. */
  async start(): Promise<void> {
    this.text = await readFile(this.options.render.configFile, 'utf8');
    const { files } = await renderToDisk(this.options.render);
    this.runner = new SdRunner({ client: this.options.client, files, logger: this.options.logger });
    await this.runner.start();
    this.timer = setInterval(() => {
      this.busy = this.busy.then(() => this.check());
    }, this.options.pollMs);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.busy;
    await this.runner?.stop();
  }

  private async check(): Promise<void> {
    const text = await readFile(this.options.render.configFile, 'utf8').catch(() => undefined);
    if (text === undefined || text === this.text) return;
    this.text = text;
    try {
      const { files } = await renderToDisk(this.options.render);
      // The old discovery stops first, so it cannot overwrite a file the new one shares.
      await this.runner?.stop();
      this.runner = new SdRunner({ client: this.options.client, files, logger: this.options.logger });
      await this.runner.start();
      this.options.logger.info({ config: this.options.render.configFile, files: files.map((f) => f.path) }, 'configuration changed, rendered again');
      await this.reloadPrometheus();
    } catch (err) {
      this.options.logger.error({ config: this.options.render.configFile, err: errorMessage(err) }, 'changed configuration not rendered, keeping the running one');
    }
  }

  private async reloadPrometheus(): Promise<void> {
    const url = this.options.reloadUrl;
    if (url === undefined) return;
    const res = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(10_000) }).catch((err: unknown) => errorMessage(err));
    if (typeof res === 'string' || !res.ok) this.options.logger.warn({ url, status: typeof res === 'string' ? res : res.status }, 'Prometheus reload failed');
    else this.options.logger.info({ url }, 'Prometheus reloaded');
  }
}
