import { TrellisError, type Env } from '@trellis/shared';

/** The Go server's flags (`-http 8000 -grpc 9000 -allow_service_account a`), plus `-host` for local mode. */
export interface ExtAuthzArgs {
  readonly httpPort: number;
  readonly grpcPort: number;
  readonly allowServiceAccount: string;
  /** Where both servers listen; undefined = every interface (Go's `:8000`). */
  readonly host: string | undefined;
}

const FLAGS = ['http', 'grpc', 'allow_service_account', 'host'] as const;
type Flag = (typeof FLAGS)[number];
const isFlag = (name: string): name is Flag => (FLAGS as readonly string[]).includes(name);

function port(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new TrellisError('INVALID_ARGUMENT', 'invalid port', { flag, value });
  return n;
}

/** Go's flag syntax: `-name value`, `-name=value`, `--name value`. */
function readFlags(argv: readonly string[]): Partial<Record<Flag, string>> {
  const out: Partial<Record<Flag, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--?([a-z_]+)(?:=(.*))?$/.exec(arg);
    const name = m?.[1] ?? '';
    if (m === null || !isFlag(name)) throw new TrellisError('INVALID_ARGUMENT', `flag provided but not defined: ${arg}`, { argv: [...argv] });
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new TrellisError('INVALID_ARGUMENT', `flag needs an argument: ${arg}`, { argv: [...argv] });
    out[name] = value;
  }
  return out;
}

/**
 * Flags win over the environment (`HTTP_PORT`, `GRPC_PORT`, `ALLOW_SERVICE_ACCOUNT`, `HOST`), which wins
 * over the Go server's defaults (8000, 9000, `a`).
 */
export function parseArgs(argv: readonly string[], env: Env = {}): ExtAuthzArgs {
  const flags = readFlags(argv);
  const pick = (flag: Flag, variable: string): string | undefined => flags[flag] ?? (env[variable] === '' ? undefined : env[variable]);
  return {
    httpPort: port(pick('http', 'HTTP_PORT') ?? '8000', 'http'),
    grpcPort: port(pick('grpc', 'GRPC_PORT') ?? '9000', 'grpc'),
    allowServiceAccount: pick('allow_service_account', 'ALLOW_SERVICE_ACCOUNT') ?? 'a',
    host: pick('host', 'HOST'),
  };
}
