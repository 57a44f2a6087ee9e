import { TrellisError, type Env } from '@trellis/shared';

/** Istio's jwt-server flags (`-http 8000 -https 8443 -cert f -key f`), plus `-host` for local mode. */
export interface JwtServerArgs {
  readonly httpPort: number;
  readonly httpsPort: number;
  /** HTTPS is served only with both (the Go server's rule). */
  readonly cert: string | undefined;
  readonly key: string | undefined;
  /** Where it listens; undefined = every interface (Go's `:8000`). */
  readonly host: string | undefined;
}

const FLAGS = ['http', 'https', 'cert', 'key', 'host'] as const;
type Flag = (typeof FLAGS)[number];
const isFlag = (name: string): name is Flag => (FLAGS as readonly string[]).includes(name);

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new TrellisError('INVALID_ARGUMENT', 'invalid port', { flag, value });
  return n;
}

/** Go's flag syntax (`-name value`, `-name=value`, `--name`); flags win over `HOST` and `HTTP_PORT`. */
export function parseArgs(argv: readonly string[], env: Env = {}): JwtServerArgs {
  const flags: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--?([a-z]+)(?:=(.*))?$/.exec(arg);
    const name = m?.[1] ?? '';
    if (m === null || !isFlag(name)) throw new TrellisError('INVALID_ARGUMENT', `flag provided but not defined: ${arg}`, { argv: [...argv] });
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new TrellisError('INVALID_ARGUMENT', `flag needs an argument: ${arg}`, { argv: [...argv] });
    flags[name] = value;
  }
  const fromEnv = (name: string): string | undefined => (env[name] === '' ? undefined : env[name]);
  return {
    httpPort: port(flags.http ?? fromEnv('HTTP_PORT') ?? '8000', 'http'),
    httpsPort: port(flags.https ?? '8443', 'https'),
    cert: flags.cert === '' ? undefined : flags.cert,
    key: flags.key === '' ? undefined : flags.key,
    host: flags.host ?? fromEnv('HOST'),
  };
}
