import { isIP } from 'node:net';
import path from 'node:path';
import {
  createCaServer,
  fileCaStore,
  istiodDnsNames,
  loadOrCreateLocalTokenKey,
  localTokenAuthenticator,
  LOCAL_TOKEN_KEY_FILE,
  openCertificateAuthority,
  systemClock,
  type Authenticator,
  type CaMaterialStore,
} from '@trellis/mesh-ca';
import { KubeClient, kubeCaSecretStore, kubeJwtAuthenticator, publishRootCert, type RootCertPublisher } from '@trellis/mesh-kube';
import type { Logger } from '@trellis/shared';
import type { CaConfig, ControlPlaneConfig } from './config';

export interface RunningCa {
  readonly port: number;
  readonly rootPem: string;
  close(): Promise<void>;
}

interface CaMode {
  readonly store: CaMaterialStore;
  readonly authenticators: Authenticator[];
  /** Kubernetes only: root ConfigMaps in every namespace. */
  publish?(rootPem: string): RootCertPublisher;
  close(): void;
}

async function localMode(config: ControlPlaneConfig, ca: CaConfig): Promise<CaMode> {
  const key = await loadOrCreateLocalTokenKey(path.join(config.stateDir, LOCAL_TOKEN_KEY_FILE));
  return {
    store: fileCaStore({ dir: path.join(config.stateDir, 'ca'), pluggedInDir: ca.pluggedInDir }),
    authenticators: [localTokenAuthenticator(key, ca.trustDomain)],
    close: () => undefined,
  };
}

function kubeMode(kubeconfig: string | undefined, ca: CaConfig, logger: Logger): CaMode {
  const client = KubeClient.load(kubeconfig ? { type: 'file', path: kubeconfig } : { type: 'default' });
  return {
    store: kubeCaSecretStore(client, ca.namespace),
    authenticators: [kubeJwtAuthenticator(client, { trustDomain: ca.trustDomain })],
    publish: (rootPem) => publishRootCert(client, rootPem, logger),
    close: () => client.close(),
  };
}

/**
 * istiod's CA half: root material (state dir or Secrets), the gRPC CA service over TLS with a
 * serving certificate from the same CA for `istiod.<ns>.svc` and friends (plus the listen address
 * when it is an IP, as local mode dials the control plane's loopback address), and in Kubernetes
 * the root published to every namespace.
 */
export async function startCa(config: ControlPlaneConfig, ca: CaConfig, logger: Logger): Promise<RunningCa> {
  const mode = config.kube ? kubeMode(config.kube.kubeconfig, ca, logger) : await localMode(config, ca);
  const authority = await openCertificateAuthority({ store: mode.store, trustDomain: ca.trustDomain, clock: systemClock, logger });
  const ips = isIP(config.host) !== 0 && config.host !== '0.0.0.0' && config.host !== '::' ? [config.host] : [];
  const serverCertificate = authority.issueServerCertificate({ dns: istiodDnsNames(ca.namespace), ips });
  const server = createCaServer({ ca: authority, authenticators: mode.authenticators, serverCertificate, logger });
  const publisher = mode.publish?.(authority.rootPem);
  try {
    const port = await server.bind(`${config.host}:${ca.port}`);
    await publisher?.ready();
    return {
      port,
      rootPem: authority.rootPem,
      close: async () => {
        await Promise.all([server.close(), publisher?.stop()]);
        mode.close();
      },
    };
  } catch (err) {
    await Promise.all([server.close(), publisher?.stop()]);
    mode.close();
    throw err;
  }
}
