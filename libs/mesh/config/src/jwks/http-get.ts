import http from 'node:http';
import https from 'node:https';
import { TrellisError } from '@trellis/shared';

export const JWKS_FETCH_FAILED = 'JWKS_FETCH_FAILED';

export interface HttpGetOptions {
  /** Whole request, connect to last byte (istiod: the rule's `timeout`, default 5 s). */
  readonly timeoutMs: number;
  /** Larger bodies are refused (a JWKS is a few kB). */
  readonly maxBytes: number;
  /** Connect here instead of resolving the URL's host (local mode's Services); Host and SNI stay the URL's. */
  readonly dial?: { readonly host: string; readonly port: number };
}

/** The body preview istiod puts in a non-2xx error (`status %d, message %q`, 100 characters). */
function statusError(uri: string, status: number, body: string): TrellisError {
  const quoted = JSON.stringify(body);
  const message = quoted.length > 100 ? `status ${status}, message ${quoted.slice(0, 100)}(truncated)` : `status ${status}, message ${quoted}`;
  return new TrellisError(JWKS_FETCH_FAILED, message, { uri, status });
}

/**
 * GET `uri` over http or https (system roots), no redirects, no keep-alive, as istiod's resolver
 * client does; rejects with JWKS_FETCH_FAILED on a timeout, a body over `maxBytes` or a non-2xx status.
 */
export function httpGet(uri: string, options: HttpGetOptions): Promise<string> {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return Promise.reject(new TrellisError(JWKS_FETCH_FAILED, `cannot parse ${JSON.stringify(uri)}`, { uri }));
  }
  const client = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : undefined;
  if (client === undefined) return Promise.reject(new TrellisError(JWKS_FETCH_FAILED, `URI scheme "${url.protocol.slice(0, -1)}" is not supported`, { uri }));
  return new Promise<string>((resolve, reject) => {
    const fail = (message: string): void => {
      clearTimeout(timer);
      req.destroy();
      reject(new TrellisError(JWKS_FETCH_FAILED, message, { uri }));
    };
    const dial = options.dial === undefined ? {} : { hostname: options.dial.host, port: options.dial.port, servername: url.hostname, headers: { accept: 'application/json', host: url.host } };
    const req = client.get(url, { agent: false, headers: { accept: 'application/json' }, ...dial }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) fail(`response larger than ${options.maxBytes} bytes`);
        else chunks.push(chunk);
      });
      res.on('end', () => {
        clearTimeout(timer);
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) reject(statusError(uri, status, body));
        else resolve(body);
      });
      res.on('error', (e) => fail(e.message));
    });
    const timer = setTimeout(() => fail(`no complete response within ${options.timeoutMs} ms`), options.timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      reject(new TrellisError(JWKS_FETCH_FAILED, e.message, { uri }));
    });
  });
}
