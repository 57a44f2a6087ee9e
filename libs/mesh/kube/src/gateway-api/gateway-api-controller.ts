import { GATEWAY_API_KINDS, type IstioConfig, type IstioKind, type MeshService } from '@trellis/mesh-api';
import { convertGatewayApi, GATEWAY_CONTROLLER_NAME, type GatewayApiResult } from '@trellis/mesh-gateway-api';
import { errorMessage, type Logger } from '@trellis/shared';
import { isNotFound } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import { serverSideApply } from '../client/writes';
import { GatewayDeployer, type DeployedGateway } from './gateway-deployer';
import { GATEWAY_API_GROUP } from './gateway-api-paths';
import { GatewayServices } from './gateway-services';
import type { GatewayWorkloadOptions } from './gateway-workload';
import { GatewayApiStatusWriter } from './status-writer';

export interface GatewayApiControllerOptions {
  client: KubeClient;
  /** The config store the Gateway API objects arrive in (KubeConfigStore). */
  store: {
    list(): IstioConfig[];
    onChange(listener: () => void): () => void;
    /** Start informers for the kinds whose CRDs are served now (KubeConfigStore.watchServed); returns those started. */
    watchServed?(kinds: readonly IstioKind[]): Promise<IstioKind[]>;
  };
  registry: { services(): MeshService[]; onChange(listener: () => void): () => void; namespaceLabels(namespace: string): Readonly<Record<string, string>> | undefined };
  domainSuffix?: string;
  workload: Omit<GatewayWorkloadOptions, 'kubeMinor'>;
  logger?: Logger;
  /** Changes closer than this are handled together (default 100 ms). */
  debounceMs?: number;
  /** How often to look for Gateway API CRDs not served yet (default 10 s). */
  crdPollMs?: number;
  /** First retry of a failed run (deployment or status write), doubling to 5 min (default 1 s). */
  retryBaseMs?: number;
}

/** A Gateway API Gateway as the store holds it (the id `KubernetesGateway` or the manifest's `Gateway`). */
export const isKubernetesGateway = (c: IstioConfig): boolean => c.apiVersion.startsWith(`${GATEWAY_API_GROUP}/`) && ['Gateway', 'KubernetesGateway'].includes(c.kind);

function deployedGateways(configs: readonly IstioConfig[]): DeployedGateway[] {
  return configs.filter(isKubernetesGateway).map((c) => ({
    namespace: c.metadata.namespace ?? 'default',
    name: c.metadata.name,
    className: String((c.spec as { gatewayClassName?: unknown }).gatewayClassName ?? ''),
    annotations: c.metadata.annotations ?? {},
  }));
}

/**
 * istiod's Gateway API controller in Kubernetes mode: on every change of config, registry or the
 * deployed gateways' Services it runs the conversion and (1) deploys the gateways it asks for,
 * (2) writes the status it computed. One run at a time; changes during a run start one more.
 */
export class GatewayApiController {
  private readonly services: GatewayServices;
  private readonly deployer: GatewayDeployer;
  private readonly status: GatewayApiStatusWriter;
  private readonly unsubscribe: (() => void)[] = [];
  private timer: NodeJS.Timeout | undefined;
  private crdTimer: NodeJS.Timeout | undefined;
  /** A failed deployment is retried even if nothing changes (a workqueue's back-off: 1 s doubling to 5 min). */
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = 0;
  private running: Promise<void> | undefined;
  private dirty = false;
  private stopped = false;
  private classEnsured = false;
  private watched = 0;
  /** The last conversion (for tests and debug endpoints). */
  last: GatewayApiResult | undefined;

  constructor(private readonly options: GatewayApiControllerOptions) {
    this.services = new GatewayServices(options.client, this.domainSuffix, options.logger);
    this.deployer = new GatewayDeployer({ client: options.client, services: this.services, workload: options.workload, logger: options.logger });
    this.status = new GatewayApiStatusWriter({ client: options.client, controllerName: GATEWAY_CONTROLLER_NAME, logger: options.logger });
  }

  private get domainSuffix(): string {
    return this.options.domainSuffix ?? 'cluster.local';
  }

  /** Watch the gateways' Services, make sure GatewayClass `istio` exists, and reconcile on every change. */
  async start(): Promise<this> {
    await this.services.start().ready();
    const poke = (): void => this.schedule();
    this.unsubscribe.push(this.options.store.onChange(poke), this.options.registry.onChange(poke), this.services.onChange(poke));
    await this.watchGatewayApiKinds();
    this.schedule();
    return this;
  }

  /** Feed the store the Gateway API kinds as their CRDs appear (`trellis install` may add them after the control plane starts). */
  private async watchGatewayApiKinds(): Promise<void> {
    const watch = this.options.store.watchServed?.bind(this.options.store);
    if (watch === undefined || this.stopped) return;
    const started = await watch(GATEWAY_API_KINDS).catch((err: unknown) => {
      this.options.logger?.warn({ err: errorMessage(err) }, 'Gateway API discovery failed');
      return [];
    });
    if (started.length > 0) this.options.logger?.info({ kinds: started }, 'watching Gateway API kinds');
    if (started.length > 0) this.schedule();
    this.watched += started.length;
    if (this.watched < GATEWAY_API_KINDS.length && !this.stopped) {
      this.crdTimer = setTimeout(() => void this.watchGatewayApiKinds(), this.options.crdPollMs ?? 10_000);
    }
  }

  /** Resolves when no run is pending or in progress. */
  async idle(): Promise<void> {
    while (this.timer !== undefined || this.running !== undefined) await (this.running ?? new Promise((r) => setTimeout(r, 10)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const u of this.unsubscribe.splice(0)) u();
    clearTimeout(this.timer);
    clearTimeout(this.crdTimer);
    clearTimeout(this.retryTimer);
    this.timer = undefined;
    await this.running;
    await this.services.stop();
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.running !== undefined) {
      this.dirty = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.run().finally(() => {
        this.running = undefined;
        if (this.dirty) {
          this.dirty = false;
          this.schedule();
        }
      });
    }, this.options.debounceMs ?? 100);
  }

  private async run(): Promise<void> {
    try {
      // retried on every run until it exists: the CRDs may be installed after the control plane starts
      this.classEnsured ||= await ensureIstioGatewayClass(this.options.client, this.options.logger);
      const configs = this.options.store.list();
      const services = this.options.registry.services();
      const names = new Set([...configs.map((c) => c.metadata.namespace ?? 'default'), ...services.map((s) => s.namespace)]);
      const namespaces = [...names].map((name) => ({ name, labels: { ...(this.options.registry.namespaceLabels(name) ?? { 'kubernetes.io/metadata.name': name }) } }));
      const result = convertGatewayApi({ configs, services, namespaces, domainSuffix: this.domainSuffix, gatewayAddresses: this.services.addresses() });
      this.last = result;
      if (this.stopped) return; // a control plane shutting down changes nothing more in the cluster
      this.retryLater((await this.deployer.reconcile(result.deployments, deployedGateways(configs))) > 0);
      if (!this.stopped) await this.status.write(result.status);
    } catch (err) {
      this.options.logger?.error({ err: errorMessage(err) }, 'gateway API reconcile failed');
      this.retryLater(true);
    }
  }

  private retryLater(needed: boolean): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!needed || this.stopped) {
      this.retryMs = 0;
      return;
    }
    this.retryMs = Math.min(Math.max(this.retryMs * 2, this.options.retryBaseMs ?? 1000), 300_000);
    this.retryTimer = setTimeout(() => this.schedule(), this.retryMs);
  }
}

/**
 * istiod creates GatewayClass `istio` (controller `istio.io/gateway-controller`) when the CRD is served;
 * samples name it. True once it exists.
 */
export async function ensureIstioGatewayClass(client: KubeClient, logger?: Logger): Promise<boolean> {
  const body = {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name: 'istio' },
    spec: { controllerName: GATEWAY_CONTROLLER_NAME, description: 'The default Istio GatewayClass' },
  };
  try {
    await client.request('GET', '/apis/gateway.networking.k8s.io/v1/gatewayclasses/istio');
    return true;
  } catch (err) {
    if (!isNotFound(err)) throw err;
  }
  try {
    await serverSideApply(client, '/apis/gateway.networking.k8s.io/v1/gatewayclasses/istio', body, 'istio.io-gateway-controller');
    return true;
  } catch (err) {
    logger?.info({ err: errorMessage(err) }, 'GatewayClass istio not created (are the Gateway API CRDs installed?)');
    return false;
  }
}
