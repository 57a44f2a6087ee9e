/**
 * Settings from flags (`--port`, `--host`, `--max-spans`, `--lookback`) over environment variables
 * (Zipkin's `QUERY_PORT`, `MEM_MAX_SPANS`, `QUERY_LOOKBACK`, `STORAGE_METHOD=mem`; `PORT`, `HOST`, `LOG_LEVEL`) over defaults.
 */
import { readFlags, envOptional, envString, parseLogLevel, TrellisError, type Env } from '@trellis/shared';
import type { LevelWithSilent } from 'pino';

export interface TraceStoreConfig {
  readonly host: string;
  /** 0 picks a free port (tests); the bound one is logged. */
  readonly port: number;
  readonly maxSpans: number;
  /** Default `lookback` of queries, in milliseconds (Zipkin: one day). */
  readonly defaultLookbackMs: number;
  readonly logLevel: LevelWithSilent;
}

const USAGE = 'usage: trace-store [--host ADDR] [--port N] [--max-spans N] [--lookback MS]';
const FLAGS = ['--host', '--port', '--max-spans', '--lookback'] as const;


function integer(name: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) throw new TrellisError('CONFIG_INVALID', `${name} should be an integer from ${min} to ${max}`, { [name]: raw });
  return n;
}

export function loadConfig(argv: readonly string[], env: Env): TraceStoreConfig {
  const flags = readFlags(argv, FLAGS, USAGE);
  const storage = envString(env, 'STORAGE_METHOD', 'mem');
  if (storage !== 'mem') throw new TrellisError('CONFIG_INVALID', 'STORAGE_METHOD should be mem: spans are kept in memory only', { storage });
  const port = flags.get('--port') ?? envOptional(env, 'QUERY_PORT') ?? envOptional(env, 'PORT') ?? '9411';
  const maxSpans = flags.get('--max-spans') ?? envOptional(env, 'MEM_MAX_SPANS') ?? '100000';
  const lookback = flags.get('--lookback') ?? envOptional(env, 'QUERY_LOOKBACK') ?? '86400000';
  return {
    host: flags.get('--host') ?? envString(env, 'HOST', '0.0.0.0'),
    port: integer('port', port, 0, 65535),
    maxSpans: integer('max-spans', maxSpans, 1, 100_000_000),
    defaultLookbackMs: integer('lookback', lookback, 1, Number.MAX_SAFE_INTEGER),
    logLevel: parseLogLevel(env['LOG_LEVEL']),
  };
}
