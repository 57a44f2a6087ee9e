import os from 'node:os';
import { type FlagSpec, type ParsedFlags, parseGoDuration } from './flags';
import { type ClientOptions, proxyFromEnv } from './http-client';
import { CliLog, parseLogLevel } from './log';
import { headersOf } from './target';

/** The flags `load` and `curl` share (fortio's HTTP client options and logging). */
export const CLIENT_FLAGS: Readonly<Record<string, FlagSpec>> = {
  H: { kind: 'list', usage: 'Additional http header(s), "Name: value"; repeatable' },
  timeout: { kind: 'string', usage: 'Connection and read timeout value (default 3s)' },
  loglevel: { kind: 'string', usage: 'log level, one of [Debug Verbose Info Warning Error Critical Fatal] (default Info)' },
  quiet: { kind: 'bool', usage: 'Quiet mode, sets loglevel to Error' },
  keepalive: { kind: 'bool', usage: 'Keep connection alive (default true)' },
};

export interface Env {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

export function clientOptions(f: ParsedFlags, url: URL, env: Env['env']): ClientOptions {
  return {
    url,
    headers: { 'user-agent': `fortio.org/fortio-1.0.0-trellis`, ...headersOf(f.lists.get('H') ?? []) },
    timeoutMs: parseGoDuration(f.values.get('timeout') ?? '3s', 'timeout'),
    proxy: proxyFromEnv(env, url),
    keepAlive: f.bools.get('keepalive') ?? true,
  };
}

export function cliLog(f: ParsedFlags, err: NodeJS.WritableStream): CliLog {
  return new CliLog(f.bools.get('quiet') === true ? 'Error' : parseLogLevel(f.values.get('loglevel')), err);
}

/** GOMAXPROCS' equivalent in fortio's banner: the CPUs this process may use. */
export const procs = (): number => os.availableParallelism();
