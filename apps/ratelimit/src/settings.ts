import path from 'node:path';
import { TrellisError, type Env } from '@trellis/shared';
import { type RedisTarget, splitHostPort } from './redis/client';

/**
 * envoyproxy/ratelimit's environment (settings.go), the names Istio's samples/ratelimit sets:
 * HOST/PORT (HTTP 8080: /healthcheck, /json), GRPC_HOST/GRPC_PORT (8081: RateLimitService),
 * DEBUG_HOST/DEBUG_PORT (6070: /rlconfig), REDIS_SOCKET_TYPE + REDIS_URL, and the config directory
 * RUNTIME_ROOT/RUNTIME_SUBDIRECTORY/RUNTIME_APPDIRECTORY (the mounted ConfigMap), dotfiles skipped with
 * RUNTIME_IGNOREDOTFILES. Read once at start.
 */
export interface Settings {
  readonly http: { readonly host: string; readonly port: number };
  readonly grpc: { readonly host: string; readonly port: number };
  readonly debug: { readonly host: string; readonly port: number };
  readonly redis: RedisTarget;
  readonly configDir: string;
  readonly ignoreDotFiles: boolean;
  /** How often the config directory is read again (the Go service watches it). */
  readonly reloadMs: number;
}

function port(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new TrellisError('INVALID_ARGUMENT', `${name} must be a port number (got ${raw})`, { name, value: raw });
  return n;
}

const text = (env: Env, name: string, fallback: string): string => (env[name] === undefined || env[name] === '' ? fallback : (env[name] as string));

/** Go's `[::]`/`::` means every interface, as does an empty host. */
const host = (env: Env, name: string): string => text(env, name, '0.0.0.0');

export function readSettings(env: Env): Settings {
  const socketType = text(env, 'REDIS_SOCKET_TYPE', 'tcp');
  if (socketType !== 'tcp' && socketType !== 'unix') throw new TrellisError('INVALID_ARGUMENT', `REDIS_SOCKET_TYPE must be tcp or unix (got ${socketType})`, { value: socketType });
  const url = env['REDIS_URL'];
  if (url === undefined || url === '') throw new TrellisError('INVALID_ARGUMENT', 'REDIS_URL is required (host:port, or a socket path with REDIS_SOCKET_TYPE=unix)', {});
  if (socketType === 'tcp') splitHostPort(url);
  const root = text(env, 'RUNTIME_ROOT', '/srv/runtime_data/current');
  return {
    http: { host: host(env, 'HOST'), port: port(env, 'PORT', 8080) },
    grpc: { host: host(env, 'GRPC_HOST'), port: port(env, 'GRPC_PORT', 8081) },
    debug: { host: host(env, 'DEBUG_HOST'), port: port(env, 'DEBUG_PORT', 6070) },
    redis: { socketType, url },
    configDir: path.join(root, text(env, 'RUNTIME_SUBDIRECTORY', ''), text(env, 'RUNTIME_APPDIRECTORY', 'config')),
    ignoreDotFiles: text(env, 'RUNTIME_IGNOREDOTFILES', 'false') === 'true',
    reloadMs: Number(text(env, 'TRELLIS_RATELIMIT_RELOAD_MS', '5000')),
  };
}
