import { type Socket, connect } from 'node:net';
import { TrellisError } from '@trellis/shared';
import { type Reply, ReplyParser, encodeCommand } from './resp';

/**
 * A small Redis client: one connection (TCP `host:port` or a unix socket), commands pipelined in
 * order, each answered by its reply. A failed connection fails what is in flight with `REDIS_ERROR`
 * and the next command connects again, so a Redis restart costs the requests of that moment only.
 */
export interface RedisTarget {
  readonly socketType: 'tcp' | 'unix';
  /** `host:port` (tcp) or the socket path (unix). */
  readonly url: string;
}

interface Pending {
  resolve(r: Reply): void;
  reject(e: Error): void;
}

const redisError = (message: string, cause?: unknown): TrellisError => new TrellisError('REDIS_ERROR', message, {}, cause === undefined ? undefined : { cause });

export class RedisClient {
  private socket: Socket | undefined;
  private parser = new ReplyParser();
  private pending: Pending[] = [];

  constructor(
    private readonly target: RedisTarget,
    private readonly timeoutMs = 2000,
  ) {}

  /** Sends the commands together and resolves with their replies in order (a Redis error reply rejects). */
  pipeline(commands: readonly (readonly (string | number)[])[]): Promise<Reply[]> {
    const socket = this.connection();
    const replies = commands.map(() => new Promise<Reply>((resolve, reject) => this.pending.push({ resolve, reject })));
    socket.setTimeout(this.timeoutMs);
    socket.write(Buffer.concat(commands.map((c) => encodeCommand(c))));
    return Promise.all(replies).then((rs) => {
      const err = rs.find((r): r is Error => r instanceof Error);
      if (err !== undefined) throw redisError(`redis answered: ${err.message}`);
      return rs;
    });
  }

  close(): Promise<void> {
    const s = this.socket;
    this.socket = undefined;
    if (s === undefined) return Promise.resolve();
    return new Promise((r) => s.end(() => r()));
  }

  private connection(): Socket {
    if (this.socket !== undefined && !this.socket.destroyed) return this.socket;
    const t = this.target;
    const s = t.socketType === 'unix' ? connect({ path: t.url }) : connectTcp(t.url);
    s.setNoDelay(true);
    s.setTimeout(this.timeoutMs, () => s.destroy(redisError(`redis at ${t.url} did not answer within ${this.timeoutMs} ms`)));
    this.parser = new ReplyParser();
    s.on('data', (chunk: Buffer) => {
      for (const reply of this.parser.push(chunk)) this.pending.shift()?.resolve(reply);
      if (this.pending.length === 0) s.setTimeout(0); // idle: no deadline until the next command
    });
    s.on('error', (err) => this.failAll(s, redisError(`redis at ${t.url}: ${err.message}`, err)));
    s.on('close', () => this.failAll(s, redisError(`redis connection to ${t.url} closed`)));
    this.socket = s;
    return s;
  }

  private failAll(s: Socket, err: Error): void {
    if (this.socket === s) this.socket = undefined;
    for (const p of this.pending.splice(0)) p.reject(err);
  }
}

function connectTcp(url: string): Socket {
  const [host, port] = splitHostPort(url);
  return connect({ host, port });
}

export function splitHostPort(url: string): [string, number] {
  const i = url.lastIndexOf(':');
  const port = Number(url.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port < 1 || port > 65535) throw new TrellisError('INVALID_ARGUMENT', `REDIS_URL must be host:port (got ${url})`, { url });
  return [url.slice(0, i).replace(/^\[|\]$/g, ''), port];
}
