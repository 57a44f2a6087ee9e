import type { CredentialSource } from '@trellis/mesh-config';
import { tlsCredentialOf, type KubeSecret, type TlsCredential } from '@trellis/mesh-api';
import type { Logger } from '@trellis/shared';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { Informer } from '../informer/informer';

export interface KubeCredentialsOptions {
  readonly client: KubeClient;
  readonly logger?: Logger;
}

type SecretObject = KubeObject & Pick<KubeSecret, 'type' | 'data'>;

/**
 * Gateway credentials from the cluster's Secrets, as istiod's credentials controller reads them
 * (pilot/pkg/credentials/kube): one informer over every namespace (ClusterRole get/list/watch
 * secrets, as istiod's), ServiceAccount tokens excluded by field selector. Only Secrets with TLS
 * material become credentials; nothing of their content is logged.
 */
export class KubeCredentials implements CredentialSource {
  private readonly informer: Informer<SecretObject>;
  private readonly listeners = new Set<() => void>();
  private decoded: readonly TlsCredential[] = [];

  private constructor(options: KubeCredentialsOptions) {
    this.informer = new Informer<SecretObject>({
      client: options.client,
      path: '/api/v1/secrets',
      fieldSelector: 'type!=kubernetes.io/service-account-token',
      ...(options.logger !== undefined ? { logger: options.logger } : {}),
    });
    this.informer.onEvents(() => this.rebuild());
  }

  static start(options: KubeCredentialsOptions): KubeCredentials {
    const source = new KubeCredentials(options);
    source.informer.start();
    return source;
  }

  ready(): Promise<void> {
    return this.informer.ready();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  credentials(): readonly TlsCredential[] {
    return this.decoded;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private rebuild(): void {
    const secrets = this.informer.list().map((o) => ({ ...o, apiVersion: 'v1', kind: 'Secret', metadata: { ...o.metadata, name: o.metadata.name } }) as unknown as KubeSecret);
    this.decoded = Object.freeze(secrets.map(tlsCredentialOf).filter((c): c is TlsCredential => c !== undefined));
    for (const l of [...this.listeners]) l();
  }
}
