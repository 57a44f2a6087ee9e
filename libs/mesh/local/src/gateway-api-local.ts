import type { IstioConfig } from '@trellis/mesh-api';
import { convertGatewayApi, GATEWAY_CONTROLLER_NAME, type GatewayDeployment } from '@trellis/mesh-gateway-api';
import { errorMessage, type Logger } from '@trellis/shared';
import type { ControlPlaneClient } from './control-plane-client';
import { gatewayApiPod, gatewayApiService, gatewayApiWorkload, portsKey, type GatewayApiPod } from './gateway-api-pods';
import type { LocalPlan } from './plan';
import { gatewayApiProxySpec, proxyReadyUrl, type SpecContext } from './process-specs';
import type { ProcessGroup } from './processes';
import { waitForReady } from './readiness';
import { writeProxyCredentials } from './workload-credentials';

export interface LocalGatewayApiOptions {
  client: ControlPlaneClient;
  plan: LocalPlan;
  group: ProcessGroup;
  ctx: SpecContext;
  readyTimeoutMs: number;
  report: (line: string) => void;
  logger: Logger;
  /** Host numbers in the address block the gateways may take (after the pods). */
  firstHost: number;
  addressBlock: string;
  domainSuffix: string;
  /** How often the stored Gateways are read (default 500 ms). */
  pollMs?: number;
}

interface Deployed {
  deployment: GatewayDeployment;
  pod: GatewayApiPod;
  host: number;
}

/** GatewayClass `istio`, which istiod creates and the samples name. */
const ISTIO_CLASS = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GatewayClass', metadata: { name: 'istio' }, spec: { controllerName: GATEWAY_CONTROLLER_NAME, description: 'The default Istio GatewayClass' } };

/**
 * Istio's automated deployment in local mode: every Gateway the conversion wants deployed gets a
 * router proxy process on its own loopback address, registered as Service `<gateway>-istio` (address =
 * that IP) with the proxy as its endpoint; a Gateway deleted (or given `spec.addresses`) stops it.
 */
export class LocalGatewayApi {
  private readonly deployed = new Map<string, Deployed>();
  private timer: NodeJS.Timeout | undefined;
  private tick: Promise<void> = Promise.resolve();
  private classApplied = false;
  private stopped = false;

  constructor(private readonly o: LocalGatewayApiOptions) {}

  start(): this {
    this.schedule(0);
    return this;
  }

  /** One reconcile now (tests; the loop keeps running). */
  async sync(): Promise<void> {
    await this.tick;
    this.tick = this.reconcile();
    await this.tick;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick;
    for (const d of [...this.deployed.values()]) await this.o.group.stop(d.pod.name, 5000);
  }

  /** Pod addresses of the deployed gateways (`ns/name` → IP), as Service addresses. */
  addresses(): Map<string, string[]> {
    return new Map([...this.deployed].map(([key, d]) => [key, [d.pod.ip]]));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick = this.reconcile().finally(() => this.schedule(this.o.pollMs ?? 500));
    }, ms);
  }

  private async reconcile(): Promise<void> {
    try {
      if (!this.classApplied) this.classApplied = (await this.o.client.apply([ISTIO_CLASS])).length > 0;
      const [classes, gateways, services] = await Promise.all([this.o.client.config('gatewayclasses'), this.o.client.config('gateways.gateway.networking.k8s.io'), this.o.client.services()]);
      const configs: IstioConfig[] = [...classes, ...gateways];
      const names = [...new Set([...configs.map((c) => c.metadata.namespace ?? 'default'), ...services.map((s) => s.namespace)])];
      const namespaces = names.map((name) => ({ name, labels: { 'kubernetes.io/metadata.name': name } }));
      const { deployments } = convertGatewayApi({ configs, services, namespaces, domainSuffix: this.o.domainSuffix, gatewayAddresses: this.addresses() });
      const wanted = new Map(deployments.map((d) => [`${d.namespace}/${d.name}`, d]));
      for (const [key, d] of [...this.deployed]) if (!wanted.has(key)) await this.remove(key, d);
      for (const [key, d] of wanted) await this.deploy(key, d);
    } catch (err) {
      this.o.logger.debug({ err: errorMessage(err) }, 'gateway API reconcile skipped');
    }
  }

  private freeHost(): number {
    const taken = new Set([...this.deployed.values()].map((d) => d.host));
    let host = this.o.firstHost;
    while (taken.has(host)) host += 1;
    return host;
  }

  private async deploy(key: string, d: GatewayDeployment): Promise<void> {
    const current = this.deployed.get(key);
    if (current !== undefined) {
      if (portsKey(current.deployment) !== portsKey(d)) await this.o.client.registerService(gatewayApiService(d, current.pod.ip, this.o.domainSuffix));
      this.deployed.set(key, { ...current, deployment: d });
      return;
    }
    const host = this.freeHost();
    const pod = gatewayApiPod(d, `${this.o.addressBlock}.${host}`);
    const { plan } = this.o;
    const creds = await writeProxyCredentials(this.o.ctx.stateDir, `${plan.controlPlane.ip}:${plan.controlPlane.caPort}`, [{ pod: pod.name, namespace: pod.namespace, serviceAccount: pod.serviceAccount }]);
    this.o.group.start(gatewayApiProxySpec(pod, plan, this.o.ctx, creds.get(pod.name)));
    this.deployed.set(key, { deployment: d, pod, host });
    try {
      await waitForReady(pod.name, proxyReadyUrl(pod.ip), this.o.readyTimeoutMs, { signal: this.o.group.stopped });
    } catch (err) {
      this.o.report(`✘ Gateway ${key}: ${pod.name} did not become ready (${errorMessage(err)})`);
      return;
    }
    await this.o.client.registerService(gatewayApiService(d, pod.ip, this.o.domainSuffix));
    await this.o.client.registerWorkload(gatewayApiWorkload(pod));
    const ports = d.ports.filter((p) => p.name !== 'status-port').map((p) => p.port).join(', ');
    this.o.report(`✔ Gateway ${key} deployed: ${d.serviceName} at ${pod.ip} (pod ${pod.name}, ports ${ports})`);
  }

  private async remove(key: string, d: Deployed): Promise<void> {
    this.deployed.delete(key);
    await this.o.client.removeWorkload(d.pod.namespace, d.pod.name).catch(() => undefined);
    await this.o.client.removeService(d.deployment.namespace, d.deployment.serviceName).catch(() => undefined);
    await this.o.group.stop(d.pod.name, 5000);
    this.o.report(`✔ Gateway ${key} removed (${d.deployment.serviceName} stopped)`);
  }
}
