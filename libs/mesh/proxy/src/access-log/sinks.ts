import pino from 'pino';
import type { AccessLogSink } from '../http/access-log';

/** Where the access log of a `path` goes; one sink per path for the whole proxy. */
export type AccessLogSinkFactory = (path: string) => AccessLogSink;

/**
 * FileAccessLog `path` → a non-blocking writer: `/dev/stdout` (and `/dev/stderr`) the process's own
 * stream (what `kubectl logs <pod> -c istio-proxy` shows), any other path a file opened for append
 * (directories created). Writes are asynchronous (SonicBoom) and never block a request.
 */
export function fileSinks(): AccessLogSinkFactory & { flush(): void } {
  const byPath = new Map<string, pino.DestinationStream & { flushSync?: () => void }>();
  const open = (path: string): pino.DestinationStream => {
    let s = byPath.get(path);
    if (s === undefined) {
      const dest = path === '/dev/stdout' ? 1 : path === '/dev/stderr' ? 2 : path;
      s = pino.destination({ dest, sync: false, append: true, mkdir: typeof dest === 'string' });
      byPath.set(path, s);
    }
    return s;
  };
  return Object.assign(open, {
    flush(): void {
      for (const s of byPath.values()) {
        try {
          s.flushSync?.();
        } catch {
          // not open yet: nothing buffered
        }
      }
    },
  });
}
