import { TrellisError } from '@trellis/shared';
import { CLIENT_FLAGS, type Env, cliLog, clientOptions, procs } from './client-flags';
import { type FlagSpec, type ParsedFlags, numberFlag, parseFlags, parseGoDuration } from './flags';
import { resultLines, startLines } from './load-report';
import { runLoad } from './load-run';
import { targetUrl } from './target';

export const LOAD_FLAGS: Readonly<Record<string, FlagSpec>> = {
  ...CLIENT_FLAGS,
  c: { kind: 'string', usage: 'Number of connections/goroutine/threads (default 4)' },
  qps: { kind: 'string', usage: 'Queries Per Seconds or 0 for no wait/max qps (default 8)' },
  n: { kind: 'string', usage: 'Run for exactly this number of calls instead of duration' },
  t: { kind: 'string', usage: 'How long to run the test or 0 to run until ^C (default 5s)' },
  p: { kind: 'string', usage: 'List of pXX to calculate (default "50,75,90,99,99.9")' },
};

function positive(f: ParsedFlags, name: string, fallback: number): number {
  const v = numberFlag(f, name, fallback);
  if (!Number.isInteger(v) || v < 0) throw new TrellisError('FLAG_VALUE', `invalid value "${v}" for flag -${name}: must be a non-negative integer`, { flag: name });
  return v;
}

function percentiles(raw: string): number[] {
  return raw.split(',').map((p) => {
    const v = Number(p.trim());
    if (p.trim() === '' || !(v > 0 && v <= 100)) throw new TrellisError('FLAG_VALUE', `invalid value "${raw}" for flag -p: percentiles are in (0, 100]`, { flag: 'p' });
    return v;
  });
}

/** `fortio load [flags] url`: the run's banner, then fortio's summary; 0 unless the run could not start. */
export async function load(argv: readonly string[], io: Env): Promise<number> {
  const f = parseFlags(argv, LOAD_FLAGS);
  const url = targetUrl(f.args, 'load');
  const threads = Math.max(1, positive(f, 'c', 4));
  const qps = Math.max(0, numberFlag(f, 'qps', 8));
  const calls = positive(f, 'n', 0);
  const durationMs = parseGoDuration(f.values.get('t') ?? '5s', 't');
  const log = cliLog(f, io.err);
  const shape = { threads, qps, calls, durationMs, url: url.href, procs: procs() };
  io.out.write(startLines(shape).join('\n') + '\n');
  const result = await runLoad({
    threads,
    qps,
    calls,
    durationMs,
    client: clientOptions(f, url, io.env),
    onNonOk: (thread, r) =>
      r.code < 0
        ? log.log('Error', 'http_client.go:1175', `Unable to connect, err="${r.error ?? ''}", thread=${thread}, run=1`)
        : log.log('Warning', 'http_client.go:1151', `Non ok http code, code=${r.code}, status="${r.status}", thread=${thread}, run=1`),
  });
  io.out.write(resultLines(result, threads, percentiles(f.values.get('p') ?? '50,75,90,99,99.9')).join('\n') + '\n');
  return 0;
}
