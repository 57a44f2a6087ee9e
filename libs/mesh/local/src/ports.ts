import net from 'node:net';
import { TrellisError } from '@trellis/shared';

/**
 * Fails with a clear, typed error when `host:port` cannot be bound (already in use, no permission);
 * `flag` names the option that chose the port, so the message can say which one to change.
 */
export function assertPortFree(host: string, port: number, flag = '--port'): Promise<void> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(
        new TrellisError('PORT_IN_USE', 'port is not available', { host, port, flag, reason: err.code ?? err.message }),
      );
    });
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** An ephemeral port the OS considers free right now (for tests and `--port 0`). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ host, port: 0 }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
