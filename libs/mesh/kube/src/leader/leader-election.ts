import { errorMessage, type Logger } from '@trellis/shared';
import { isConflict, isForbidden, isNotFound } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import { leaseAction, nextLease, observedRecord, releasedLease, type Lease, type LeaseAction, type Observed } from './lease';

export interface LeaderElectionOptions {
  client: Pick<KubeClient, 'request'>;
  /** Where the Lease lives (the control plane's namespace). */
  namespace: string;
  /** The Lease's name: istiod's election names, e.g. `istio-gateway-deployment-default`. */
  name: string;
  /** This replica (the pod name). */
  identity: string;
  /** client-go's and istiod's defaults: 30 s, 15 s, 5 s. */
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  logger?: Logger;
  now?: () => number;
}

const STOPPING = 'stopping';

/** Called when this replica starts leading; the returned function is called when it stops. */
export type LeaderWork = () => Promise<() => Promise<void>>;

/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's: one replica runs the work;
 * it renews every retry period and gives the work up when it could not renew for the renew
 * deadline; on stop it releases the Lease so another replica takes over at once. Without the
 * Lease API, its namespace (a control plane run outside the cluster) or the right to use it (RBAC
 * from before), this replica leads, as a single control plane always did, and says so once.
 */
export class LeaderElection {
  private observed: Observed | undefined;
  private lastRenewMs = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopWork: (() => Promise<void>) | undefined;
  private round: Promise<void> = Promise.resolve();
  private stopped = false;
  private unelected = false;

  constructor(
    private readonly options: LeaderElectionOptions,
    private readonly work: LeaderWork,
  ) {}

  get leading(): boolean {
    return this.stopWork !== undefined;
  }

  private get path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${this.options.namespace}/leases`;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Runs the first round now (so a lone replica leads before this resolves), then one per retry period. */
  async start(): Promise<this> {
    await this.tick();
    return this;
  }

  private tick(): Promise<void> {
    this.round = this.round
      .then(async () => {
        if (!this.stopped) await this.attempt();
      })
      .catch((err: unknown) => this.options.logger?.warn({ err: errorMessage(err), lease: this.options.name }, 'leader election round failed'))
      .then(() => {
        if (!this.stopped && !this.unelected) this.timer = setTimeout(() => void this.tick(), this.options.retryPeriodMs ?? 5000).unref();
      });
    return this.round;
  }

  private async attempt(): Promise<void> {
    const leaseMs = this.options.leaseDurationMs ?? 30_000;
    let action: LeaseAction | undefined;
    try {
      const current = await this.read();
      const now = this.now();
      action = leaseAction(current, this.options.identity, this.observed, now, leaseMs);
      if (current !== undefined && this.observed?.record !== observedRecord(current)) this.observed = { record: observedRecord(current), atMs: now };
      if (action === 'follow') return await this.lose('another replica holds the lease');
      const body = nextLease(current, this.options, this.options.identity, action, now, leaseMs);
      await (action === 'create' ? this.options.client.request('POST', this.path, { body }) : this.options.client.request('PUT', `${this.path}/${this.options.name}`, { body }));
      this.lastRenewMs = this.now();
      await this.lead();
    } catch (err) {
      if (isForbidden(err) || (isNotFound(err) && action === 'create')) return this.leadUnelected(err);
      if (isConflict(err)) return await this.lose('another replica wrote the lease first');
      this.options.logger?.warn({ err: errorMessage(err), lease: this.options.name }, 'leader election round failed');
      if (this.leading && this.now() - this.lastRenewMs > (this.options.renewDeadlineMs ?? 15_000)) await this.lose('lease not renewed within the renew deadline');
    }
  }

  private async read(): Promise<Lease | undefined> {
    return this.options.client.request<Lease>('GET', `${this.path}/${this.options.name}`).catch((err: unknown) => {
      if (isNotFound(err)) return undefined;
      throw err;
    });
  }

  private async lead(): Promise<void> {
    if (this.leading || this.stopped) return;
    this.options.logger?.info({ lease: this.options.name, identity: this.options.identity }, 'leading');
    this.stopWork = await this.work();
  }

  private async lose(why: string): Promise<void> {
    const stop = this.stopWork;
    if (stop === undefined) return;
    this.stopWork = undefined;
    this.options.logger?.[why === STOPPING ? 'info' : 'warn']({ lease: this.options.name, identity: this.options.identity, why }, 'stopped leading');
    await stop();
  }

  private async leadUnelected(err: unknown): Promise<void> {
    this.unelected = true;
    this.options.logger?.warn({ err: errorMessage(err), lease: this.options.name }, 'no leader election (no Lease API, namespace or permission): this replica leads alone');
    await this.lead().catch((failed: unknown) => {
      this.unelected = false; // rounds go on, and the next one tries again
      throw failed;
    });
  }

  /** Stops the work, then releases the Lease if held. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    const held = this.leading && !this.unelected;
    await this.lose(STOPPING);
    if (!held) return;
    const current = await this.read().catch(() => undefined);
    if (current?.spec.holderIdentity !== this.options.identity) return;
    await this.options.client.request('PUT', `${this.path}/${this.options.name}`, { body: releasedLease(current, this.now()) }).catch((err: unknown) => {
      this.options.logger?.warn({ err: errorMessage(err), lease: this.options.name }, 'lease not released');
    });
  }
}
