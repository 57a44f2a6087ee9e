import * as grpc from '@grpc/grpc-js';
import { errorMessage, type Logger } from '@trellis/shared';
import type { Authenticator } from '../auth/authenticator';
import type { CertificateAuthority, ServerCertificate } from '../ca/certificate-authority';
import { CaErrorCode, caError } from '../errors';
import { caServiceDefinition } from './ca-proto';
import { caServiceHandlers } from './ca-service';

/** Istio's names for istiod's own serving certificate on 15012 (`getDNSNames`). */
export function istiodDnsNames(namespace = 'istio-system'): string[] {
  return [`istiod.${namespace}.svc`, `istiod-remote.${namespace}.svc`, `istio-pilot.${namespace}.svc`];
}

export interface CaServerOptions {
  readonly ca: CertificateAuthority;
  readonly authenticators: readonly Authenticator[];
  /** The TLS certificate the server presents (issued by `ca`, see `issueServerCertificate`). */
  readonly serverCertificate: ServerCertificate;
  readonly logger: Logger;
}

export interface CaServer {
  /** `host:port` (port 0 = ephemeral); resolves with the bound port. */
  bind(address: string): Promise<number>;
  close(): Promise<void>;
}

const SHUTDOWN_GRACE_MS = 2000;

/** The CA's gRPC server over TLS (istiod's 15012, without the xDS half). */
export function createCaServer(options: CaServerOptions): CaServer {
  const server = new grpc.Server();
  server.addService(caServiceDefinition(), caServiceHandlers(options));
  const [leaf, ...rest] = options.serverCertificate.chain;
  // The chain the server sends: its leaf and intermediates (clients hold the root).
  const certChain = Buffer.from([leaf, ...rest.slice(0, -1)].join(''));
  const credentials = grpc.ServerCredentials.createSsl(null, [{ cert_chain: certChain, private_key: Buffer.from(options.serverCertificate.keyPem) }], false);
  let bound = false;
  return {
    bind: (address) =>
      new Promise<number>((resolve, reject) => {
        server.bindAsync(address, credentials, (err, port) => {
          if (err) {
            reject(caError(CaErrorCode.bindFailed, 'cannot bind the CA server', { address, reason: errorMessage(err) }, err));
            return;
          }
          bound = true;
          options.logger.info({ address, port }, 'CA server listening');
          resolve(port);
        });
      }),
    close: async () => {
      if (!bound) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, SHUTDOWN_GRACE_MS);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
  };
}
