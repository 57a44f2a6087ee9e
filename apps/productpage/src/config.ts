import path from 'node:path';
import { envOptional, envPort, envString, parseLogLevel, TrellisError, type Env } from '@trellis/shared';
import { proxySettingsFromEnv, type ProxySettings } from '@trellis/bookinfo-common';
import type { LevelWithSilent } from 'pino';

export interface ServiceEndpoint {
  /** `http://{hostname}{.SERVICES_DOMAIN}:{port}` */
  readonly origin: string;
  readonly endpoint: 'details' | 'reviews' | 'ratings';
}

export interface ProductpageConfig {
  readonly host: string;
  readonly port: number;
  readonly details: ServiceEndpoint;
  readonly reviews: ServiceEndpoint;
  readonly ratings: ServiceEndpoint;
  /** Extra reviews calls per page render (rate-limit demo image); 0 = off. */
  readonly floodFactor: number;
  /** Per-attempt downstream timeout (upstream: 3 s). */
  readonly timeoutMs: number;
  /** Key for the signed `session` cookie; fixed, so cookies are valid across replicas. */
  readonly sessionSecret: string;
  /** Directory with `tailwind/tailwind.css` and `img/`, served under /static. */
  readonly assetsDir: string;
  readonly proxy: ProxySettings;
  readonly logLevel: LevelWithSilent;
}

export const FIXED_SESSION_SECRET = 'trellis-bookinfo-productpage-session-key';

function endpoint(env: Env, name: ServiceEndpoint['endpoint'], domain: string): ServiceEndpoint {
  const upper = name.toUpperCase();
  const host = envString(env, `${upper}_HOSTNAME`, name);
  const port = envPort(env, `${upper}_SERVICE_PORT`, 9080);
  return { origin: `http://${host}${domain}:${port}`, endpoint: name };
}

function floodFactor(env: Env): number {
  const raw = envOptional(env, 'FLOOD_FACTOR');
  if (raw === undefined) return 0;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new TrellisError('CONFIG_INVALID', 'invalid flood factor in environment', { variable: 'FLOOD_FACTOR', value: raw });
  }
  return value;
}

/** `assetsDir` defaults to `<dir of the running main>/assets` (src/assets from source, dist/.../assets in the bundle). */
export function loadConfig(env: Env, mainDir: string): ProductpageConfig {
  const domainName = envOptional(env, 'SERVICES_DOMAIN');
  const domain = domainName === undefined ? '' : `.${domainName}`;
  return {
    host: envString(env, 'HOST', '0.0.0.0'),
    port: envPort(env, 'PORT', 9080),
    details: endpoint(env, 'details', domain),
    reviews: endpoint(env, 'reviews', domain),
    ratings: endpoint(env, 'ratings', domain),
    floodFactor: floodFactor(env),
    timeoutMs: 3000,
    sessionSecret: FIXED_SESSION_SECRET,
    assetsDir: path.join(mainDir, 'assets'),
    proxy: proxySettingsFromEnv(env),
    logLevel: parseLogLevel(env['LOG_LEVEL']),
  };
}
