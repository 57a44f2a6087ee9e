/**
 * Settings of the Kiali backend, read once at the process edge: flags over environment variables over
 * defaults. Kiali's own port (20001) and web root (/kiali); where the mesh's data comes from (the
 * control plane's HTTP API, Prometheus or the in-process scraper, the trace store); where the UI build is.
 */
import path from 'node:path';
import { readFlags, envOptional, parseLogLevel, TrellisError, type Env } from '@trellis/shared';
import type { LevelWithSilent } from 'pino';

export interface KialiConfig {
  readonly host: string;
  /** 0 picks a free port (tests); the bound one is logged. */
  readonly port: number;
  /** Base URL of the control plane's HTTP API (config, registry, analyze). */
  readonly controlPlaneUrl: string;
  /** Prometheus base URL; absent = the in-process scraper of the proxies' metrics. */
  readonly prometheusUrl?: string;
  /** The trace store (Zipkin API) base URL; absent = no tracing proxy. */
  readonly tracingUrl?: string;
  /** The extracted `build/` of @kiali/kiali-ui (tools/kiali-ui/fetch.mjs). */
  readonly uiDir: string;
  readonly logLevel: LevelWithSilent;
}

export const KIALI_UI_VERSION = '1.31.0';
const USAGE = 'usage: kiali [--host ADDR] [--port N] [--control-plane-url URL] [--prometheus-url URL] [--tracing-url URL] [--ui-dir DIR]';
const FLAGS = ['--host', '--port', '--control-plane-url', '--prometheus-url', '--tracing-url', '--ui-dir'] as const;


function url(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new TrellisError('CONFIG_INVALID', `${name} should be an http(s) URL`, { [name]: raw });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new TrellisError('CONFIG_INVALID', `${name} should be an http(s) URL`, { [name]: raw });
  return raw.replace(/\/+$/, '');
}

function port(raw: string): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n > 65535) throw new TrellisError('CONFIG_INVALID', 'port should be an integer from 0 to 65535', { port: raw });
  return n;
}

/** The default UI directory: `~/.cache/trellis/kiali-ui-<version>/build` (where fetch.mjs extracts it). */
export function defaultUiDir(env: Env): string {
  const cache = envOptional(env, 'TRELLIS_CACHE_DIR') ?? path.join(envOptional(env, 'HOME') ?? '/root', '.cache', 'trellis');
  return path.join(cache, `kiali-ui-${KIALI_UI_VERSION}`, 'build');
}

export function loadConfig(argv: readonly string[], env: Env): KialiConfig {
  const flags = readFlags(argv, FLAGS, USAGE);
  const prometheusUrl = url('prometheus-url', flags.get('--prometheus-url') ?? envOptional(env, 'PROMETHEUS_URL'));
  const tracingUrl = url('tracing-url', flags.get('--tracing-url') ?? envOptional(env, 'TRACING_URL'));
  return {
    host: flags.get('--host') ?? envOptional(env, 'HOST') ?? '0.0.0.0',
    port: port(flags.get('--port') ?? envOptional(env, 'PORT') ?? '20001'),
    controlPlaneUrl: url('control-plane-url', flags.get('--control-plane-url') ?? envOptional(env, 'CONTROL_PLANE_URL') ?? 'http://127.0.0.1:15014') ?? '',
    ...(prometheusUrl !== undefined && { prometheusUrl }),
    ...(tracingUrl !== undefined && { tracingUrl }),
    uiDir: path.resolve(flags.get('--ui-dir') ?? envOptional(env, 'KIALI_UI_DIR') ?? defaultUiDir(env)),
    logLevel: parseLogLevel(env['LOG_LEVEL']),
  };
}
