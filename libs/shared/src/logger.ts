import pino, { type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** Component name, e.g. `productpage` or `proxy`. */
  readonly name: string;
  readonly level?: LevelWithSilent;
  /** Static fields attached to every line (pod name, mode…). */
  readonly base?: Record<string, unknown>;
}

/** Structured JSON logs on stdout; messages are constant, facts go in fields. */
export function createLogger(options: LoggerOptions): Logger {
  return pino({
    name: options.name,
    level: options.level ?? 'info',
    base: { ...options.base },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

/** A logger that discards everything (tests, embedded use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

export function parseLogLevel(value: string | undefined, fallback: LevelWithSilent = 'info'): LevelWithSilent {
  const levels: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  return value !== undefined && levels.includes(value) ? (value as LevelWithSilent) : fallback;
}
