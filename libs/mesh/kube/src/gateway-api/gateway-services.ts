import type { Logger } from '@trellis/shared';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { Informer } from '../informer/informer';
import { GATEWAY_NAME_LABEL, MANAGED_LABEL, MANAGED_VALUE } from './gateway-workload';

export interface GatewayService extends KubeObject {
  spec?: { type?: string; clusterIP?: string };
  status?: { loadBalancer?: { ingress?: { ip?: string; hostname?: string }[] } };
}

/**
 * The addresses a deployed gateway's Service gives its Gateway (istiod's rule): a LoadBalancer's
 * ingress IPs or hostnames (none until one is assigned), otherwise the Service's DNS name.
 */
export function serviceAddresses(svc: GatewayService, domainSuffix: string): string[] {
  if (svc.spec?.type === 'LoadBalancer') {
    return (svc.status?.loadBalancer?.ingress ?? []).flatMap((i) => (i.ip !== undefined && i.ip !== '' ? [i.ip] : i.hostname !== undefined && i.hostname !== '' ? [i.hostname] : []));
  }
  return [`${svc.metadata.name}.${svc.metadata.namespace ?? 'default'}.svc.${domainSuffix}`];
}

/** The Services of deployed gateways (label `gateway.istio.io/managed`), watched. */
export class GatewayServices {
  private readonly informer: Informer<GatewayService>;

  constructor(client: KubeClient, private readonly domainSuffix: string, logger?: Logger) {
    this.informer = new Informer<GatewayService>({ client, path: '/api/v1/services', labelSelector: `${MANAGED_LABEL}=${MANAGED_VALUE}`, logger });
  }

  start(): this {
    this.informer.start();
    return this;
  }

  ready(): Promise<void> {
    return this.informer.ready();
  }

  stop(): Promise<void> {
    return this.informer.stop();
  }

  onChange(listener: () => void): () => void {
    return this.informer.onEvents(() => listener());
  }

  list(): GatewayService[] {
    return this.informer.list();
  }

  /** `ns/gateway` → the addresses of its Service. */
  addresses(): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const svc of this.informer.list()) {
      const gateway = svc.metadata.labels?.[GATEWAY_NAME_LABEL];
      if (gateway !== undefined) out.set(`${svc.metadata.namespace ?? 'default'}/${gateway}`, serviceAddresses(svc, this.domainSuffix));
    }
    return out;
  }
}
