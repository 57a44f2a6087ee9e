import { TrellisError } from '@trellis/shared';
import { Agent, request } from 'undici';

export interface HttpResult {
  status: number;
  body: unknown;
}

/** Error codes raised by the transport; the CLI's error formatter turns them into one line. */
export const UNREACHABLE = 'CONTROL_PLANE_UNREACHABLE';

/** A tiny JSON-over-HTTP transport bound to one base URL; `close()` releases pooled sockets. */
export class JsonHttp {
  private readonly agent = new Agent({ connect: { timeout: 5_000 }, headersTimeout: 30_000, bodyTimeout: 30_000 });

  constructor(readonly baseUrl: string) {}

  async send(method: 'GET' | 'POST' | 'DELETE', pathAndQuery: string, body?: unknown): Promise<HttpResult> {
    const url = this.baseUrl + pathAndQuery;
    try {
      const res = await request(url, {
        method,
        dispatcher: this.agent,
        headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.body.text();
      return { status: res.statusCode, body: parseJson(text) };
    } catch (err) {
      throw new TrellisError(UNREACHABLE, 'could not reach the Trellis control plane', {
        address: this.baseUrl,
        reason: describeNetworkError(err),
      }, { cause: err });
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface SystemErrorLike {
  code?: unknown;
  syscall?: unknown;
  cause?: unknown;
  message?: unknown;
}

/** `connect ECONNREFUSED`, `getaddrinfo ENOTFOUND`, or the error's message. */
export function describeNetworkError(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const e = current as SystemErrorLike;
    if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code)) {
      return typeof e.syscall === 'string' ? `${e.syscall} ${e.code}` : e.code;
    }
    current = e.cause;
  }
  if (err instanceof Error && err.name === 'ConnectTimeoutError') return 'connect ETIMEDOUT';
  return err instanceof Error ? err.message : String(err);
}
