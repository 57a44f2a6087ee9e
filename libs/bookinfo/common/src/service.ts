/** The process edge shared by the four Bookinfo apps: listen, log the bound port, drain on SIGTERM. */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { shutdownOnSignals, type Closable, type Logger } from '@trellis/shared';

export interface ListenOptions {
  readonly host: string;
  /** 0 picks a free port; the chosen one is logged (`port` field of the `listening` line). */
  readonly port: number;
}

export async function runService(
  app: FastifyInstance,
  listen: ListenOptions,
  logger: Logger,
  extra: readonly Closable[] = [],
): Promise<AddressInfo> {
  await app.listen({ host: listen.host, port: listen.port });
  const address = app.server.address() as AddressInfo;
  logger.info({ host: address.address, port: address.port }, 'listening');
  shutdownOnSignals([app, ...extra], logger, 5000);
  return address;
}
