import http from 'node:http';
import type { Socket } from 'node:net';

/** One response as fortio's client sees it: code (-1 on error), header and total byte sizes. */
export interface CallResult {
  readonly code: number;
  /** `HTTP/1.1 503` — what fortio's warning quotes. */
  readonly status: string;
  readonly headerBytes: number;
  readonly totalBytes: number;
  readonly rawHead: string;
  readonly body: Buffer;
  readonly error?: string;
}

export interface ClientOptions {
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  /** `http_proxy` from the environment (local mode's capture): absolute-form requests to it. */
  readonly proxy: URL | undefined;
  readonly keepAlive: boolean;
}

/** The proxy a pod's client uses: `http_proxy`, else `HTTP_PROXY` (as curl: lower case first). */
export function proxyFromEnv(env: Readonly<Record<string, string | undefined>>, target: URL): URL | undefined {
  const raw = env['http_proxy'] ?? env['HTTP_PROXY'];
  if (raw === undefined || raw === '' || target.protocol !== 'http:') return undefined;
  const noProxy = (env['no_proxy'] ?? env['NO_PROXY'] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (noProxy.some((h) => h === '*' || target.hostname === h || target.hostname.endsWith(h.startsWith('.') ? h : `.${h}`))) return undefined;
  return new URL(raw.includes('://') ? raw : `http://${raw}`);
}

function rawHeadOf(res: http.IncomingMessage): string {
  const lines = [`HTTP/${res.httpVersion} ${res.statusCode ?? 0} ${res.statusMessage ?? ''}`.trimEnd()];
  for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** A fortio "thread": its own keep-alive connection, its sockets counted (`Sockets used`). */
export class ThreadClient {
  /** Remote `ip:port` of each socket this thread opened. */
  readonly sockets: string[] = [];
  private readonly agent: http.Agent;
  private readonly seen = new WeakSet<Socket>();

  constructor(private readonly o: ClientOptions) {
    this.agent = new http.Agent({ keepAlive: o.keepAlive, maxSockets: 1 });
  }

  call(): Promise<CallResult> {
    const { url, proxy } = this.o;
    const target = proxy ?? url;
    const path = proxy === undefined ? `${url.pathname}${url.search}` : url.href;
    return new Promise((resolve) => {
      const req = http.request(
        { host: target.hostname.replace(/^\[|\]$/g, ''), port: target.port || 80, path, method: 'GET', agent: this.agent, headers: { host: url.host, ...this.o.headers }, timeout: this.o.timeoutMs },
        (res) => this.read(res, resolve),
      );
      req.on('socket', (s) => this.count(s));
      req.on('timeout', () => req.destroy(new Error(`timeout after ${this.o.timeoutMs} ms`)));
      req.on('error', (err) => resolve({ code: -1, status: '', headerBytes: 0, totalBytes: 0, rawHead: '', body: Buffer.alloc(0), error: err.message }));
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private read(res: http.IncomingMessage, resolve: (r: CallResult) => void): void {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const rawHead = rawHeadOf(res);
      const body = Buffer.concat(chunks);
      const headerBytes = Buffer.byteLength(rawHead);
      resolve({ code: res.statusCode ?? -1, status: `HTTP/${res.httpVersion} ${res.statusCode ?? 0}`, headerBytes, totalBytes: headerBytes + body.length, rawHead, body });
    });
    res.on('error', () => undefined);
  }

  private count(s: Socket): void {
    if (this.seen.has(s)) return;
    this.seen.add(s);
    const note = (): void => {
      this.sockets.push(`${s.remoteAddress ?? '?'}:${s.remotePort ?? 0}`);
    };
    if (s.remoteAddress !== undefined) note();
    else s.once('connect', note);
  }
}
