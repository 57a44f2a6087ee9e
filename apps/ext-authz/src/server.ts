import type { AddressInfo } from 'node:net';
import type { Server as HttpServer } from 'node:http';
import type { Logger } from '@trellis/shared';
import type { ExtAuthzArgs } from './args';
import { bindGrpc, createGrpcCheckServer } from './grpc-check';
import { createHttpCheckServer } from './http-check';

export interface ExtAuthzServer {
  readonly httpPort: number;
  readonly grpcPort: number;
  close(): Promise<void>;
}

/** Go's `listener.Addr()`: `[::]:8000`, `127.0.0.1:9000`. */
const goAddr = (host: string, port: number): string => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

function listenHttp(server: HttpServer, host: string | undefined, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

/** Istio's ext-authz: the HTTP check on `httpPort`, the gRPC v3 check on `grpcPort`, both on `host` (default: all). */
export async function startExtAuthz(args: ExtAuthzArgs, logger: Logger): Promise<ExtAuthzServer> {
  const http = createHttpCheckServer(logger);
  const grpc = createGrpcCheckServer(logger, args.allowServiceAccount);
  const close = async (): Promise<void> => {
    http.closeAllConnections();
    await new Promise<void>((resolve) => http.close(() => resolve()));
    logger.info('Stopped HTTP server');
    grpc.forceShutdown();
    logger.info('Stopped gRPC server');
  };
  try {
    const h = await listenHttp(http, args.host, args.httpPort);
    logger.info(`Starting HTTP server at ${goAddr(h.address, h.port)}`);
    const grpcHost = args.host ?? '0.0.0.0';
    const grpcPort = await bindGrpc(grpc, grpcHost, args.grpcPort);
    logger.info(`Starting gRPC server at ${goAddr(grpcHost, grpcPort)}`);
    return { httpPort: h.port, grpcPort, close };
  } catch (err) {
    await close();
    throw err;
  }
}
