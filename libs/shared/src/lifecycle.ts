import type { Logger } from 'pino';

export interface Closable {
  close(): Promise<unknown>;
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: close each resource once, bounded by `drainMs`, then exit.
 * Returns a function that removes the handlers (tests).
 */
export function shutdownOnSignals(resources: readonly Closable[], logger: Logger, drainMs = 5000): () => void {
  let closing = false;
  const handler = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal, drainMs }, 'shutting down');
    const timer = setTimeout(() => {
      logger.warn({ drainMs }, 'drain time exceeded, exiting');
      process.exit(0);
    }, drainMs);
    timer.unref();
    // Fire-and-forget from a signal handler: allSettled never rejects, and the process exits in the callback.
    void Promise.allSettled(resources.map((r) => r.close())).then(() => {
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return () => {
    process.off('SIGTERM', handler);
    process.off('SIGINT', handler);
  };
}
