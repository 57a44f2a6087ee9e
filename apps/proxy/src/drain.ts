// Istio's pod termination, as pilot-agent runs it around Envoy (pkg/envoy/agent.go): on SIGTERM the
// proxy drains — readiness answers 503, listeners keep accepting and answer `connection: close` — for
// `terminationDrainDuration` (default 5 s), while the endpoint leaves EDS and kube-proxy's rules; then
// it closes and exits. `/quitquitquit` skips the drain, as pilot-agent's does.
import type { Logger } from 'pino';
import type { Closable } from '@trellis/shared';

export interface Drainable extends Closable {
  drain(): void;
}

/** Go's duration syntax as proxyConfig writes it (`5s`, `500ms`, `1m30s`, `0s`); undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
  const unit: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)/g) : null;
  if (parts === null) return text === '0' ? 0 : undefined;
  return parts.reduce((ms, p) => {
    const [, n, u] = /^(\d+(?:\.\d+)?)(\D+)$/.exec(p) as RegExpExecArray;
    return ms + Number(n) * (unit[u as string] as number);
  }, 0);
}

/** Istio's default terminationDrainDuration (pkg/config/mesh DefaultProxyConfig). */
export const DEFAULT_TERMINATION_DRAIN_MS = 5000;

/**
 * The termination drain in ms: PROXY_CONFIG's terminationDrainDuration — the mesh config's
 * `defaultConfig` with the pod's `proxy.istio.io/config` over it, merged by the injector (cluster) or the
 * local runner (`<state>/mesh.yaml`), @trellis/mesh-inject mergeProxyConfig — when it holds a valid one, else `fallbackMs` (main: Istio's 5 s in a pod; 0 in local mode, where
 * no kube-proxy or EDS lags behind a stopping process and the runner stops the whole stack at once).
 */
export function terminationDrainMs(proxyConfigJson: string | undefined, fallbackMs: number): number {
  if (proxyConfigJson === undefined) return fallbackMs;
  try {
    const value: unknown = (JSON.parse(proxyConfigJson) as Record<string, unknown>)?.['terminationDrainDuration'];
    return (typeof value === 'string' ? parseGoDuration(value) : undefined) ?? fallbackMs;
  } catch {
    return fallbackMs;
  }
}

export interface Termination {
  /** For shutdownOnSignals: drain for `drainMs` (unless quit), then close the proxy and the others. */
  readonly closable: Closable;
  /** /quitquitquit: the next SIGTERM exits without the drain period. */
  skipDrain(): void;
}

export function termination(proxy: Drainable, others: readonly Closable[], drainMs: number, logger: Logger): Termination {
  let skip = false;
  let wake: (() => void) | undefined;
  const closable: Closable = {
    close: async () => {
      if (!skip && drainMs > 0) {
        proxy.drain();
        logger.info({ terminationDrainMs: drainMs }, 'graceful termination period starting');
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, drainMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        logger.info('graceful termination period complete, closing');
      }
      await Promise.allSettled([...others.map((c) => c.close()), proxy.close()]);
    },
  };
  return {
    closable,
    skipDrain: () => {
      skip = true;
      wake?.();
    },
  };
}
