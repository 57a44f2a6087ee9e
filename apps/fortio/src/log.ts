import { TrellisError } from '@trellis/shared';

/** Fortio's log levels, in order (`-loglevel Warning`). */
const LEVELS = ['Debug', 'Verbose', 'Info', 'Warning', 'Error', 'Critical', 'Fatal'] as const;
export type LogLevel = (typeof LEVELS)[number];
const TAGS: Readonly<Record<LogLevel, string>> = { Debug: 'DBG', Verbose: 'VRB', Info: 'INF', Warning: 'WRN', Error: 'ERR', Critical: 'CRI', Fatal: 'FTL' };

export function parseLogLevel(raw: string | undefined): LogLevel {
  if (raw === undefined) return 'Info';
  const level = LEVELS.find((l) => l.toLowerCase() === raw.toLowerCase());
  if (level === undefined) throw new TrellisError('FLAG_VALUE', `invalid value "${raw}" for flag -loglevel: should be one of ${LEVELS.join(', ')}`, { flag: 'loglevel' });
  return level;
}

/** The CLI's text log lines on stderr (`12:01:02.345 r1 [WRN] …`), at `level` and above. */
export class CliLog {
  constructor(
    private readonly level: LogLevel,
    private readonly err: NodeJS.WritableStream,
  ) {}

  log(level: LogLevel, source: string, message: string): void {
    if (LEVELS.indexOf(level) < LEVELS.indexOf(this.level)) return;
    const time = new Date().toISOString().slice(11, 23);
    this.err.write(`${time} r1 [${TAGS[level]}] ${source}> ${message}\n`);
  }
}
