import type { GatewayDeployment } from '@trellis/mesh-gateway-api';
import { errorMessage, type Logger } from '@trellis/shared';
import { isNotFound } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { deleteIfExists, serverSideApply } from '../client/writes';
import { canonical } from './condition-times';
import { minorOf, type ServerVersion } from './crd-degrade';
import type { GatewayServices } from './gateway-services';
import { GATEWAY_NAME_LABEL, gatewayWorkload, SERVICE_TYPE_ANNOTATION, type GatewayWorkloadOptions } from './gateway-workload';

export const GATEWAY_DEPLOYER_FIELD_MANAGER = 'istio.io-gateway-controller';

/** What the deployer needs of a Gateway besides its deployment: class and annotations. */
export interface DeployedGateway {
  namespace: string;
  name: string;
  className: string;
  annotations: Readonly<Record<string, string>>;
}

export interface GatewayDeployerOptions {
  client: KubeClient;
  services: GatewayServices;
  workload: Omit<GatewayWorkloadOptions, 'kubeMinor'>;
  logger?: Logger;
}

const paths = (ns: string, name: string): { sa: string; deploy: string; svc: string } => ({
  sa: `/api/v1/namespaces/${ns}/serviceaccounts/${name}`,
  deploy: `/apis/apps/v1/namespaces/${ns}/deployments/${name}`,
  svc: `/api/v1/namespaces/${ns}/services/${name}`,
});

/**
 * istiod's deployment controller: for every Gateway the conversion says to deploy, server-side apply
 * its ServiceAccount, Deployment and Service (only when what it would apply changed), owned by the
 * Gateway so Kubernetes deletes them with it; deployments of Gateways still present but no longer
 * deployed (the Gateway got `spec.addresses` or another class) are deleted.
 */
export class GatewayDeployer {
  private readonly applied = new Map<string, string>();
  private kubeMinor: number | undefined;

  constructor(private readonly options: GatewayDeployerOptions) {}

  /** Returns how many gateways could not be deployed (logged; the caller retries them). */
  async reconcile(deployments: readonly GatewayDeployment[], gateways: readonly DeployedGateway[]): Promise<number> {
    this.kubeMinor ??= minorOf(await this.options.client.request<ServerVersion>('GET', '/version')) ?? Number.MAX_SAFE_INTEGER;
    const wanted = new Set<string>();
    let failed = 0;
    for (const d of deployments) {
      const gw = gateways.find((g) => g.namespace === d.namespace && g.name === d.name);
      if (gw === undefined) continue;
      wanted.add(`${d.namespace}/${d.serviceName}`);
      await this.deploy(d, gw, this.kubeMinor).catch((err: unknown) => {
        failed++;
        this.options.logger?.warn({ err: errorMessage(err), gateway: `${d.namespace}/${d.name}` }, 'gateway deployment failed');
      });
    }
    for (const svc of this.options.services.list()) {
      const ns = svc.metadata.namespace ?? 'default';
      const gateway = svc.metadata.labels?.[GATEWAY_NAME_LABEL];
      // Only a Gateway this controller sees and no longer deploys loses its deployment. A Gateway it does not see
      // (deleted: Kubernetes' garbage collector follows the owner reference; or not in its store yet, or handled by
      // another control plane) keeps it.
      if (wanted.has(`${ns}/${svc.metadata.name}`) || gateway === undefined || !gateways.some((g) => g.namespace === ns && g.name === gateway)) continue;
      await this.remove(ns, svc.metadata.name);
    }
    return failed;
  }

  private async deploy(d: GatewayDeployment, gw: DeployedGateway, kubeMinor: number): Promise<void> {
    const owner = await this.options.client.request<KubeObject>('GET', `/apis/gateway.networking.k8s.io/v1/namespaces/${d.namespace}/gateways/${d.name}`).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
    if (owner?.metadata.uid === undefined) return;
    const serviceType = gw.annotations[SERVICE_TYPE_ANNOTATION] ?? 'LoadBalancer';
    const w = gatewayWorkload(d, { apiVersion: 'gateway.networking.k8s.io/v1', uid: owner.metadata.uid, className: gw.className, serviceType }, { ...this.options.workload, kubeMinor });
    const key = `${d.namespace}/${d.serviceName}`;
    const body = canonical(w);
    if (this.applied.get(key) === body && this.options.services.list().some((s) => s.metadata.namespace === d.namespace && s.metadata.name === d.serviceName)) return;
    const p = paths(d.namespace, d.serviceName);
    await serverSideApply(this.options.client, p.sa, w.serviceAccount, GATEWAY_DEPLOYER_FIELD_MANAGER);
    await serverSideApply(this.options.client, p.deploy, w.deployment, GATEWAY_DEPLOYER_FIELD_MANAGER);
    await serverSideApply(this.options.client, p.svc, w.service, GATEWAY_DEPLOYER_FIELD_MANAGER);
    this.applied.set(key, body);
    this.options.logger?.info({ gateway: `${d.namespace}/${d.name}`, service: d.serviceName }, 'gateway deployed');
  }

  private async remove(namespace: string, name: string): Promise<void> {
    const p = paths(namespace, name);
    try {
      for (const path of [p.svc, p.deploy, p.sa]) await deleteIfExists(this.options.client, path, { propagationPolicy: 'Background' });
      this.applied.delete(`${namespace}/${name}`);
      this.options.logger?.info({ namespace, service: name }, 'gateway deployment removed');
    } catch (err) {
      this.options.logger?.warn({ err: errorMessage(err), namespace, service: name }, 'gateway deployment removal failed');
    }
  }
}
