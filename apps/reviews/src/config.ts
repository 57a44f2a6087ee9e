import { envBool, envOptional, envPort, envString, parseLogLevel, type Env } from '@trellis/shared';
import { proxySettingsFromEnv, type ProxySettings } from '@trellis/bookinfo-common';
import type { LevelWithSilent } from 'pino';

/** One app, three versions: v1 = ratings off; v2 = ratings on, black; v3 = ratings on, red. */
export interface ReviewsConfig {
  readonly host: string;
  readonly port: number;
  readonly serviceVersion: string;
  readonly ratingsEnabled: boolean;
  readonly starColor: string;
  /** `http://{RATINGS_HOSTNAME}{.SERVICES_DOMAIN}:{RATINGS_SERVICE_PORT}/ratings` */
  readonly ratingsService: string;
  /** 10 s when the stars are black (v2), 2.5 s otherwise (v3). */
  readonly ratingsTimeoutMs: number;
  /** HOSTNAME, or the literal "null" when unset (Java's String concatenation of null). */
  readonly podName: string;
  /** CLUSTER_NAME, or the literal "null". */
  readonly clusterName: string;
  readonly proxy: ProxySettings;
  readonly logLevel: LevelWithSilent;
}

export function loadConfig(env: Env): ReviewsConfig {
  const starColor = envString(env, 'STAR_COLOR', 'black');
  const domain = envOptional(env, 'SERVICES_DOMAIN');
  const hostname = envString(env, 'RATINGS_HOSTNAME', 'ratings');
  const port = envPort(env, 'RATINGS_SERVICE_PORT', 9080);
  return {
    host: envString(env, 'HOST', '0.0.0.0'),
    port: envPort(env, 'PORT', 9080),
    serviceVersion: envString(env, 'SERVICE_VERSION', 'v1'),
    ratingsEnabled: envBool(env, 'ENABLE_RATINGS', false),
    starColor,
    ratingsService: `http://${hostname}${domain === undefined ? '' : `.${domain}`}:${port}/ratings`,
    ratingsTimeoutMs: starColor === 'black' ? 10_000 : 2_500,
    podName: env['HOSTNAME'] ?? 'null',
    clusterName: env['CLUSTER_NAME'] ?? 'null',
    proxy: proxySettingsFromEnv(env),
    logLevel: parseLogLevel(env['LOG_LEVEL']),
  };
}
