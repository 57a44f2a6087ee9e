import { jwksKeysOf, OPENID_DISCOVERY_SUFFIX, type RequestAuthentication } from '@trellis/mesh-api';
import { errorMessage, silentLogger, type Logger } from '@trellis/shared';
import type { ConfigStore } from '../store/config-store';
import { httpGet, type HttpGetOptions } from './http-get';
import type { Dialer } from './registry-dial';
import { jwksChanged, jwksFormatProblem } from './jwks-format';

/** What the snapshot builder reads: fetched JWKS by key (`jwksKeyOf`), and a signal when keys change. */
export interface JwksSource {
  jwks(): Readonly<Record<string, string>>;
  onChange(listener: () => void): () => void;
}

export interface JwksResolverOptions {
  /** RequestAuthentications are read from here; new keys are fetched as soon as they appear. */
  readonly store: ConfigStore;
  readonly logger?: Logger;
  /** Refresh every JWKS this often (istiod PILOT_JWT_PUB_KEY_REFRESH_INTERVAL: 20 min). */
  readonly refreshIntervalMs?: number;
  /** Retry a JWKS that has never been fetched this often (istiod JwtPubKeyRefreshIntervalOnFailure: 1 min). */
  readonly retryIntervalMs?: number;
  /** Per request (istiod: 5 s). */
  readonly timeoutMs?: number;
  /** Largest accepted body (default 1 MiB). */
  readonly maxBytes?: number;
  /** Where to connect for a URL instead of DNS (local mode: `registryDialer`); undefined = resolve. */
  readonly dial?: Dialer;
  /** The HTTP GET (tests may replace it). */
  readonly get?: (uri: string, options: HttpGetOptions) => Promise<string>;
}

export const DEFAULT_JWKS_REFRESH_MS = 20 * 60_000;

/**
 * istiod's JwksResolver (pilot/pkg/model/jwks_resolver.go) for the control plane: every `jwksUri` of
 * the RequestAuthentications (an issuer alone: its OpenID discovery document's `jwks_uri`) is fetched
 * when it appears, refreshed periodically, and kept at its last good value when a refresh fails or
 * returns something that is not a JWKS; failures are logged with the URI. Listeners hear of a change
 * only when the keys differ. Keys no policy needs any more are dropped.
 */
export class JwksResolver implements JwksSource {
  private readonly good = new Map<string, string>();
  private wanted = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly listeners = new Set<() => void>();
  private readonly logger: Logger;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly unsubscribe: () => void;
  private snapshot: Readonly<Record<string, string>> = Object.freeze({});

  private constructor(private readonly options: JwksResolverOptions) {
    this.logger = options.logger ?? silentLogger();
    this.unsubscribe = options.store.onChange(() => this.sync());
  }

  static start(options: JwksResolverOptions): JwksResolver {
    const r = new JwksResolver(options);
    r.sync();
    const every = (ms: number, run: () => void): void => {
      r.timers.push(setInterval(run, ms).unref());
    };
    every(options.refreshIntervalMs ?? DEFAULT_JWKS_REFRESH_MS, () => void r.refresh());
    every(options.retryIntervalMs ?? 60_000, () => void r.retryMissing());
    return r;
  }

  jwks(): Readonly<Record<string, string>> {
    return this.snapshot;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Fetch every wanted JWKS now (or those `which` picks); resolves when all attempts have finished. */
  async refresh(which: (key: string) => boolean = () => true): Promise<void> {
    await Promise.all([...this.wanted].filter(which).map((key) => this.fetch(key)));
  }

  /** Fetch now every wanted JWKS that has no keys yet (e.g. the Service serving it just became ready). */
  retryMissing(): Promise<void> {
    return this.refresh((key) => !this.good.has(key) && !this.inFlight.has(key));
  }

  /** Resolves when no fetch is in flight (tests). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight.values()]);
  }

  close(): void {
    this.unsubscribe();
    for (const t of this.timers) clearInterval(t);
    this.listeners.clear();
  }

  private sync(): void {
    const policies = this.options.store.list('RequestAuthentication') as RequestAuthentication[];
    this.wanted = new Set(jwksKeysOf(policies));
    let dropped = false;
    for (const key of [...this.good.keys()]) if (!this.wanted.has(key)) dropped = this.good.delete(key) || dropped;
    if (dropped) this.publish(false);
    for (const key of this.wanted) if (!this.good.has(key) && !this.inFlight.has(key)) void this.fetch(key);
  }

  private fetch(key: string): Promise<void> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const p = this.load(key)
      .then((text) => this.accept(key, text))
      .catch((e: unknown) => this.logger.warn({ uri: key, err: errorMessage(e), keptLastGood: this.good.has(key) }, 'jwks fetch failed'))
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, p);
    return p;
  }

  private async load(key: string): Promise<string> {
    const base = this.options.get ?? httpGet;
    const get = (uri: string, o: HttpGetOptions): Promise<string> => {
      const dial = this.dialFor(uri);
      return base(uri, dial === undefined ? o : { ...o, dial });
    };
    const http = { timeoutMs: this.options.timeoutMs ?? 5000, maxBytes: this.options.maxBytes ?? 1 << 20 };
    const uri = key.endsWith(OPENID_DISCOVERY_SUFFIX) ? await this.discover(key, get, http) : key;
    const text = await get(uri, http);
    const problem = jwksFormatProblem(text);
    if (problem !== undefined) throw new Error(`content fetched from jwks URI ${JSON.stringify(uri)} is not a valid JWKS: ${problem}`);
    return text;
  }

  private dialFor(uri: string): HttpGetOptions['dial'] {
    try {
      return this.options.dial?.(new URL(uri));
    } catch {
      return undefined;
    }
  }

  /** OpenID discovery: the document's `jwks_uri`. */
  private async discover(key: string, get: NonNullable<JwksResolverOptions['get']>, http: HttpGetOptions): Promise<string> {
    const doc: unknown = JSON.parse(await get(key, http));
    const uri = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>)['jwks_uri'] : undefined;
    if (typeof uri !== 'string' || uri === '') throw new Error(`invalid jwks_uri ${JSON.stringify(uri)} in openID discovery configuration`);
    return uri;
  }

  private accept(key: string, text: string): void {
    if (!this.wanted.has(key)) return;
    if (!jwksChanged(this.good.get(key), text)) return;
    this.good.set(key, text);
    this.logger.info({ uri: key }, 'jwks updated');
    this.publish(true);
  }

  private publish(notify: boolean): void {
    this.snapshot = Object.freeze(Object.fromEntries([...this.good.entries()].sort(([a], [b]) => (a < b ? -1 : 1))));
    if (notify) for (const l of [...this.listeners]) l();
  }
}
