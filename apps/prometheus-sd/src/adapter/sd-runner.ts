/**
 * Keeps every target file current: one informer per Kubernetes collection the discoveries need (shared between
 * them), and after a change the affected files are recomputed and rewritten (debounced).
 */
import { errorMessage, type Logger } from '@trellis/shared';
import { Informer, type KubeClient, type KubeObject } from '@trellis/mesh-kube';
import type { SdRole } from '../core/discovery';
import type { TargetFile } from '../core/rewrite';
import { discoveryGroups, fileSdText, sourceKey, sourcePath, sourcesFor, type SourceSpec, type SourceView } from '../core/sources';
import { TargetFileWriter } from './target-file-writer';

export interface SdRunnerOptions {
  client: KubeClient;
  files: readonly TargetFile[];
  logger: Logger;
  /** Quiet time after a change before files are rewritten (default 200 ms). */
  debounceMs?: number;
}

interface FileState {
  file: TargetFile;
  sources: Map<SdRole, Informer<KubeObject>[]>;
}

export class SdRunner {
  private readonly informers = new Map<string, Informer<KubeObject>>();
  private readonly states: FileState[];
  private readonly writer = new TargetFileWriter();
  private readonly dirty = new Set<FileState>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly options: SdRunnerOptions) {
    this.states = options.files.map((file) => {
      const sources = new Map<SdRole, Informer<KubeObject>[]>();
      for (const [role, specs] of sourcesFor(file.discovery)) sources.set(role, specs.map((s) => this.informer(s)));
      return { file, sources };
    });
    for (const state of this.states) {
      for (const inf of [...state.sources.values()].flat()) inf.onEvents(() => this.markDirty(state));
    }
  }

  /** Lists everything, writes every file once, then keeps watching. */
  async start(): Promise<void> {
    for (const inf of this.informers.values()) inf.start();
    await Promise.all([...this.informers.values()].map((i) => i.ready()));
    await this.flush(this.states);
    this.options.logger.info({ files: this.states.length, collections: [...this.informers.values()].map((i) => i.path) }, 'target files written, watching');
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
    await this.flushing;
  }

  close(): Promise<void> {
    return this.stop();
  }

  private informer(spec: SourceSpec): Informer<KubeObject> {
    const key = sourceKey(spec);
    let inf = this.informers.get(key);
    if (inf === undefined) {
      inf = new Informer<KubeObject>({
        client: this.options.client,
        path: sourcePath(spec),
        logger: this.options.logger,
        ...(spec.labelSelector === undefined ? {} : { labelSelector: spec.labelSelector }),
        ...(spec.fieldSelector === undefined ? {} : { fieldSelector: spec.fieldSelector }),
      });
      this.informers.set(key, inf);
    }
    return inf;
  }

  private markDirty(state: FileState): void {
    this.dirty.add(state);
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const states = [...this.dirty];
      this.dirty.clear();
      this.flushing = this.flushing.then(() => this.flush(states));
    }, this.options.debounceMs ?? 200);
  }

  private async flush(states: readonly FileState[]): Promise<void> {
    for (const state of states) {
      try {
        const groups = discoveryGroups(state.file.discovery, view(state));
        if (await this.writer.write(state.file.path, fileSdText(groups))) {
          this.options.logger.info({ file: state.file.path, jobs: state.file.jobs, targets: groups.length }, 'target file updated');
        }
      } catch (err) {
        this.options.logger.error({ file: state.file.path, err: errorMessage(err) }, 'target file not updated');
      }
    }
  }
}

function view(state: FileState): SourceView {
  const of = (role: SdRole): Informer<KubeObject>[] => state.sources.get(role) ?? [];
  return {
    list: (role) => of(role).flatMap((i) => i.list()),
    get: (role, namespace, name) => of(role).map((i) => i.get(namespace, name)).find((o) => o !== undefined),
  };
}
