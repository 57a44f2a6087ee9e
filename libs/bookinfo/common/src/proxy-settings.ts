/**
 * HTTP_PROXY / NO_PROXY, read once at the process edge. Local mesh mode points HTTP_PROXY at the
 * workload's sidecar; the client then sends absolute-form requests to it (no CONNECT).
 */
import { envOptional, TrellisError, type Env } from '@trellis/shared';

export interface ProxySettings {
  /** Proxy origin, e.g. `http://127.0.0.2:15001`; undefined = direct connections. */
  readonly httpProxy?: string;
  /** NO_PROXY entries, lower-cased: `*`, `host`, `.suffix`, `host:port`, IP literals. */
  readonly noProxy: readonly string[];
}

export const NO_PROXY_SETTINGS: ProxySettings = { noProxy: [] };

export function parseNoProxy(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(/[\s,]+/)
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry !== '');
}

/** Lower-case variables win over upper-case ones (curl and Python requests agree on that). */
export function proxySettingsFromEnv(env: Env): ProxySettings {
  const httpProxy = envOptional(env, 'http_proxy') ?? envOptional(env, 'HTTP_PROXY');
  const noProxy = parseNoProxy(envOptional(env, 'no_proxy') ?? envOptional(env, 'NO_PROXY'));
  if (httpProxy === undefined) return { noProxy };
  const normalised = /^[a-z][a-z0-9+.-]*:\/\//i.test(httpProxy) ? httpProxy : `http://${httpProxy}`;
  let url: URL;
  try {
    url = new URL(normalised);
  } catch {
    throw new TrellisError('CONFIG_INVALID', 'invalid proxy URL in environment', { variable: 'HTTP_PROXY', value: httpProxy });
  }
  if (url.protocol !== 'http:') {
    throw new TrellisError('CONFIG_INVALID', 'only http proxies are supported', { variable: 'HTTP_PROXY', value: httpProxy });
  }
  return { httpProxy: url.origin, noProxy };
}

function entryMatches(entry: string, host: string, port: string): boolean {
  if (entry === '*') return true;
  let pattern = entry;
  const portMatch = /^(.*):(\d+)$/.exec(entry);
  if (portMatch !== null && !entry.endsWith(']') && portMatch[1] !== undefined && portMatch[2] !== undefined) {
    if (portMatch[2] !== port) return false;
    pattern = portMatch[1];
  }
  pattern = pattern.replace(/^\*/, '').replace(/^\[(.*)\]$/, '$1');
  if (pattern.startsWith('.')) return host.endsWith(pattern) || host === pattern.slice(1);
  return host === pattern || host.endsWith(`.${pattern}`);
}

/** True when the URL must be fetched directly (no proxy configured, or NO_PROXY matches its host). */
export function bypassesProxy(url: URL, settings: ProxySettings): boolean {
  if (settings.httpProxy === undefined || url.protocol !== 'http:') return true;
  const host = url.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  const port = url.port === '' ? '80' : url.port;
  return settings.noProxy.some((entry) => entryMatches(entry, host, port));
}
