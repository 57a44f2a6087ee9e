import * as http from 'node:http';
import * as https from 'node:https';
import { createInterface } from 'node:readline';
import type { KubeConfig } from '@kubernetes/client-node';
import { TrellisError } from '@trellis/shared';
import { kubeApiError } from './errors';
import { loadKubeConfig, type KubeConfigSource } from './kube-config';
import { isKubeStatus, type KubeStatus, type WatchEvent } from './types';

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Default `application/json`; e.g. `application/apply-patch+yaml` for server-side apply. */
  contentType?: string;
  signal?: AbortSignal;
  /** Socket idle timeout (default 30 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function buildUrl(server: string, path: string, query: Query | undefined): URL {
  const url = new URL(server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url;
}

function readBody(res: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * A small typed client for the Kubernetes REST API: credentials and TLS come from a client-node
 * KubeConfig (file, in-cluster or explicit token), requests are plain JSON over node:https with one
 * keep-alive agent. Every non-2xx answer becomes a TrellisError `KUBE_API_ERROR` (see errors.ts).
 */
export class KubeClient {
  readonly server: string;
  private agent: http.Agent | undefined;

  constructor(private readonly kubeConfig: KubeConfig) {
    const cluster = kubeConfig.getCurrentCluster();
    if (cluster === null) throw new TrellisError('KUBE_CONFIG_INVALID', 'the kubeconfig has no current cluster');
    this.server = cluster.server;
  }

  static load(source: KubeConfigSource): KubeClient {
    return new KubeClient(loadKubeConfig(source));
  }

  /** One JSON request; resolves with the parsed body (undefined for an empty one). */
  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const res = await this.open(method, path, options);
    return parseJson(await readBody(res)) as T;
  }

  /**
   * A watch stream: calls `onEvent` for every event until the server ends the stream (resolves), the
   * connection fails (rejects) or `signal` aborts (resolves).
   */
  async watch(path: string, query: Query, onEvent: (event: WatchEvent) => void, signal: AbortSignal, idleTimeoutMs = 0): Promise<void> {
    const res = await this.open('GET', path, { query: { ...query, watch: true }, signal, timeoutMs: idleTimeoutMs });
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: res, crlfDelay: Infinity });
      const fail = (err: unknown): void => (signal.aborted ? resolve() : reject(kubeApiError('WATCH', path, 0, undefined, err)));
      lines.on('line', (line) => {
        const event = parseJson(line) as WatchEvent | undefined;
        if (event === undefined || typeof event.type !== 'string') return;
        try {
          onEvent(event);
        } catch (err) {
          res.destroy();
          reject(err);
        }
      });
      res.on('error', fail);
      lines.on('error', fail);
      lines.on('close', () => resolve());
    });
  }

  /** Stop keeping connections alive. */
  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }

  private async open(method: string, path: string, options: RequestOptions): Promise<http.IncomingMessage> {
    const tls: https.RequestOptions = {};
    await this.kubeConfig.applyToHTTPSOptions(tls);
    const url = buildUrl(this.server, path, options.query);
    const headers: Record<string, string> = { Accept: 'application/json' };
    for (const [k, v] of Object.entries(tls.headers ?? {})) if (typeof v === 'string') headers[k] = v;
    if (tls.auth !== undefined && tls.auth !== null) headers['Authorization'] = `Basic ${Buffer.from(tls.auth).toString('base64')}`;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    const res = await this.send(url, { method, headers, agent: this.agentFor(url, tls), signal: options.signal }, body, options);
    const status = res.statusCode ?? 0;
    if (status >= 200 && status < 300) return res;
    const parsed = parseJson(await readBody(res));
    throw kubeApiError(method, path, status, isKubeStatus(parsed) ? parsed : ({ message: `kubernetes API answered ${status}` } satisfies KubeStatus));
  }

  private send(url: URL, init: https.RequestOptions, body: string | undefined, options: RequestOptions): Promise<http.IncomingMessage> {
    const method = init.method ?? 'GET';
    return new Promise((resolve, reject) => {
      const req = (url.protocol === 'http:' ? http : https).request(url, init, resolve);
      const timeout = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
      if (timeout > 0) req.setTimeout(timeout, () => req.destroy(new Error(`no answer in ${timeout} ms`)));
      req.on('error', (err) => reject(kubeApiError(method, url.pathname, 0, undefined, err)));
      req.end(body);
    });
  }

  private agentFor(url: URL, tls: https.RequestOptions): http.Agent {
    if (this.agent !== undefined) return this.agent;
    this.agent =
      url.protocol === 'http:'
        ? new http.Agent({ keepAlive: true })
        : new https.Agent({
            keepAlive: true,
            ca: tls.ca,
            cert: tls.cert,
            key: tls.key,
            ...(tls.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: tls.rejectUnauthorized }),
            ...(tls.servername === undefined ? {} : { servername: tls.servername }),
          });
    return this.agent;
  }
}
