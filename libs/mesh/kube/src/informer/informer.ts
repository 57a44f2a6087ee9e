import { errorMessage, TrellisError, type Logger } from '@trellis/shared';
import { isGone, kubeApiError } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import { isKubeObject, isKubeStatus, objectKey, type KubeList, type KubeObject, type WatchEvent } from '../client/types';
import { Backoff, sleep, type BackoffOptions } from './backoff';
import { diffCaches, type InformerEvent, type InformerListener } from './informer-events';

export interface InformerOptions<T extends KubeObject> {
  client: KubeClient;
  /** Collection path, e.g. `/api/v1/pods` or `/apis/networking.istio.io/v1/virtualservices`. */
  path: string;
  logger?: Logger;
  /** Narrow a raw object to T; undefined skips it. Default: any object with `metadata.name`. */
  parse?: (raw: KubeObject) => T | undefined;
  labelSelector?: string;
  fieldSelector?: string;
  /** List page size (default 500). */
  pageSize?: number;
  /** Server-side watch timeout; the informer re-watches from its resourceVersion after it (default 300). */
  watchTimeoutSeconds?: number;
  backoff?: BackoffOptions;
  /** Start from a known state (e.g. a restored cache): watch from its resourceVersion; 410 Gone re-lists. */
  resume?: { resourceVersion: string; items: readonly T[] };
}

export interface InformerStats {
  lists: number;
  watches: number;
  /** 410 Gone answers (expired resourceVersion) that forced a re-list. */
  expired: number;
  bookmarks: number;
  errors: number;
}

/**
 * client-go style informer: list (paged), then watch from the list's resourceVersion with bookmarks;
 * a 410 Gone re-lists (and emits the difference), other failures retry with exponential backoff.
 */
export class Informer<T extends KubeObject> {
  readonly stats: InformerStats = { lists: 0, watches: 0, expired: 0, bookmarks: 0, errors: 0 };
  private readonly cache = new Map<string, T>();
  private readonly listeners = new Set<InformerListener<T>>();
  private readonly abort = new AbortController();
  private rv = '';
  private needList = true;
  private running: Promise<void> | undefined;
  private markReady: () => void = () => undefined;
  private readonly synced: Promise<void>;

  constructor(private readonly options: InformerOptions<T>) {
    this.synced = new Promise<void>((resolve, reject) => {
      this.markReady = resolve;
      this.abort.signal.addEventListener('abort', () => reject(new TrellisError('INFORMER_STOPPED', 'informer stopped before its first list', { path: options.path })));
    });
    this.synced.catch(() => undefined);
    if (options.resume !== undefined) {
      for (const o of options.resume.items) this.cache.set(objectKey(o), o);
      this.rv = options.resume.resourceVersion;
      this.needList = false;
      this.markReady();
    }
  }

  get path(): string {
    return this.options.path;
  }

  /** The last resourceVersion seen (list, event or bookmark). */
  get resourceVersion(): string {
    return this.rv;
  }

  start(): this {
    this.running ??= this.run();
    return this;
  }

  /** Resolves after the first complete list (rejects if stopped before). */
  ready(): Promise<void> {
    return this.synced;
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  list(): T[] {
    return [...this.cache.values()];
  }

  get(namespace: string | undefined, name: string): T | undefined {
    return this.cache.get(namespace === undefined || namespace === '' ? name : `${namespace}/${name}`);
  }

  onEvents(listener: InformerListener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(this.options.backoff);
    const signal = this.abort.signal;
    while (!signal.aborted) {
      try {
        if (this.needList) await this.relist();
        const started = Date.now();
        const events = await this.watchOnce();
        if (events > 0 || Date.now() - started > 1000) backoff.reset();
        else await sleep(backoff.next(), signal);
      } catch (err) {
        if (signal.aborted) break;
        if (isGone(err)) {
          this.stats.expired++;
          this.needList = true;
          this.options.logger?.info({ path: this.path, resourceVersion: this.rv }, 'watch expired, re-listing');
          continue;
        }
        this.stats.errors++;
        this.options.logger?.warn({ path: this.path, err: errorMessage(err) }, 'informer list/watch failed, retrying');
        await sleep(backoff.next(), signal);
      }
    }
  }

  private async relist(): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.options.client.request<KubeList>('GET', this.path, {
        query: { limit: this.options.pageSize ?? 500, continue: cont, labelSelector: this.options.labelSelector, fieldSelector: this.options.fieldSelector },
        signal: this.abort.signal,
      });
      const kind = page.kind?.replace(/List$/, '');
      for (const raw of page.items) {
        const parsed = this.parse({ ...raw, apiVersion: raw.apiVersion ?? page.apiVersion, kind: raw.kind ?? kind });
        if (parsed !== undefined) items.push(parsed);
      }
      cont = page.metadata.continue === '' ? undefined : page.metadata.continue;
      rv = page.metadata.resourceVersion ?? '';
    } while (cont !== undefined);
    const next = new Map(items.map((o) => [objectKey(o), o] as const));
    const events = diffCaches(this.cache, next);
    this.cache.clear();
    for (const [k, v] of next) this.cache.set(k, v);
    this.rv = rv;
    this.needList = false;
    this.stats.lists++;
    this.emit(events);
    this.markReady();
  }

  /** One watch request; returns the number of events it delivered. */
  private async watchOnce(): Promise<number> {
    let count = 0;
    const timeoutSeconds = this.options.watchTimeoutSeconds ?? 300;
    this.stats.watches++;
    await this.options.client.watch(
      this.path,
      {
        resourceVersion: this.rv,
        allowWatchBookmarks: true,
        timeoutSeconds,
        labelSelector: this.options.labelSelector,
        fieldSelector: this.options.fieldSelector,
      },
      (event) => {
        count++;
        this.handle(event);
      },
      this.abort.signal,
      (timeoutSeconds + 30) * 1000,
    );
    return count;
  }

  private handle(event: WatchEvent): void {
    if (event.type === 'ERROR') {
      const status = isKubeStatus(event.object) ? event.object : undefined;
      throw kubeApiError('WATCH', this.path, status?.code ?? 500, status);
    }
    if (!isKubeObject(event.object)) return;
    const rv = event.object.metadata.resourceVersion;
    if (rv !== undefined) this.rv = rv;
    if (event.type === 'BOOKMARK') {
      this.stats.bookmarks++;
      return;
    }
    const object = this.parse(event.object);
    if (object === undefined) return;
    const key = objectKey(object);
    const previous = this.cache.get(key);
    if (event.type === 'DELETED') {
      this.cache.delete(key);
      this.emit([{ type: 'deleted', object }]);
    } else {
      this.cache.set(key, object);
      this.emit([previous === undefined ? { type: 'added', object } : { type: 'modified', object, previous }]);
    }
  }

  private parse(raw: KubeObject): T | undefined {
    if (this.options.parse !== undefined) return this.options.parse(raw);
    return raw as T;
  }

  private emit(events: readonly InformerEvent<T>[]): void {
    if (events.length === 0) return;
    for (const l of [...this.listeners]) {
      try {
        l(events);
      } catch (err) {
        this.options.logger?.error({ path: this.path, err: errorMessage(err) }, 'informer listener failed');
      }
    }
  }
}
