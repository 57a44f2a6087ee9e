import type { Server } from 'node:net';
import type { Logger } from '@trellis/shared';

/**
 * Binds a listener's server: rejects if the bind fails, then logs later server errors under the
 * listener's name. Resolves with the bound address (port 0 → the one the kernel chose).
 */
export function bindServer(server: Server, host: string, port: number, logger: Logger, listener: string): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen({ host, port }, () => {
      server.off('error', onError);
      server.on('error', (err) => logger.error({ err, listener }, 'listener error'));
      const addr = server.address();
      resolve(addr !== null && typeof addr === 'object' ? { host: addr.address, port: addr.port } : { host, port });
    });
  });
}
