/**
 * Outgoing HTTP for the Bookinfo services: undici, one attempt per call, a hard per-call timeout,
 * no connection reuse (like upstream's `requests.get` per call, so per-request balancing is
 * visible), and HTTP_PROXY support in absolute-form (`GET http://host:port/path`, no CONNECT).
 */
import { Agent, ProxyAgent, request, type Dispatcher } from 'undici';
import { errorMessage } from '@trellis/shared';
import { bypassesProxy, NO_PROXY_SETTINGS, type ProxySettings } from './proxy-settings';
import type { OutgoingHeaders } from './headers';

export type FetchOutcome =
  | { readonly kind: 'response'; readonly status: number; readonly body: string }
  | { readonly kind: 'failure'; readonly reason: 'timeout' | 'network'; readonly message: string };

export interface GetOptions {
  readonly headers?: OutgoingHeaders;
  readonly timeoutMs: number;
}

export interface HttpClient {
  /** Never rejects: transport problems and timeouts come back as a `failure` outcome. */
  get(url: string, options: GetOptions): Promise<FetchOutcome>;
  close(): Promise<void>;
}

export function createHttpClient(proxy: ProxySettings = NO_PROXY_SETTINGS): HttpClient {
  const direct = new Agent({ pipelining: 0 });
  const viaProxy =
    proxy.httpProxy === undefined ? undefined : new ProxyAgent({ uri: proxy.httpProxy, proxyTunnel: false, pipelining: 0 });

  const dispatcherFor = (url: URL): Dispatcher =>
    viaProxy === undefined || bypassesProxy(url, proxy) ? direct : viaProxy;

  return {
    async get(target, options) {
      const signal = AbortSignal.timeout(options.timeoutMs);
      try {
        const url = new URL(target);
        const response = await request(url, {
          method: 'GET',
          headers: options.headers ?? {},
          dispatcher: dispatcherFor(url),
          signal,
          reset: true,
        });
        const body = await response.body.text();
        return { kind: 'response', status: response.statusCode, body };
      } catch (err) {
        return { kind: 'failure', reason: signal.aborted ? 'timeout' : 'network', message: errorMessage(err) };
      }
    },
    async close() {
      await Promise.allSettled([direct.close(), viaProxy?.close()]);
    },
  };
}

/** Parses a JSON body; undefined when it is not JSON. */
export function parseJsonBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}
