import type { GatewayApiStatus } from '@trellis/mesh-gateway-api';
import { errorMessage, type Logger } from '@trellis/shared';
import { isConflict, isNotFound } from '../client/errors';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';
import { canonical, sameStatus, stamp } from './condition-times';
import { gatewayApiKey, gatewayApiObjectPath } from './gateway-api-paths';

export interface GatewayApiStatusWriterOptions {
  client: KubeClient;
  /** Our `controllerName`: route parents written by other controllers are kept as they are. */
  controllerName: string;
  logger?: Logger;
  now?: () => Date;
}

export interface StatusWriteSummary {
  written: number;
  unchanged: number;
  /** Objects that are gone, of unknown kinds, or whose write failed (retried on the next call). */
  failed: number;
}

/** metav1.Time: RFC 3339 to the second. */
const rfc3339 = (d: Date): string => d.toISOString().replace(/\.\d+Z$/, 'Z');

interface StatusObject extends KubeObject {
  status?: Record<string, unknown>;
}

/**
 * Writes the `.status` the conversion computed to the `/status` subresource, only when it differs
 * from what the object has (conditions' `lastTransitionTime` aside, which is kept while a condition
 * holds). What was last written is remembered, so an unchanged status costs no request at all.
 */
export class GatewayApiStatusWriter {
  private readonly written = new Map<string, string>();

  constructor(private readonly options: GatewayApiStatusWriterOptions) {}

  async write(statuses: readonly GatewayApiStatus[]): Promise<StatusWriteSummary> {
    const summary: StatusWriteSummary = { written: 0, unchanged: 0, failed: 0 };
    for (const s of statuses) summary[await this.writeOne(s)] += 1;
    return summary;
  }

  /** Forget an object's last write (it was deleted). */
  forget(kind: string, namespace: string | undefined, name: string): void {
    this.written.delete(gatewayApiKey(kind, namespace, name));
  }

  private async writeOne(s: GatewayApiStatus): Promise<keyof StatusWriteSummary> {
    const key = gatewayApiKey(s.kind, s.namespace, s.name);
    const path = gatewayApiObjectPath(s.apiVersion, s.kind, s.namespace, s.name);
    if (path === undefined) return 'failed';
    const wanted = canonical(s.status, 'lastTransitionTime');
    if (this.written.get(key) === wanted) return 'unchanged';
    try {
      const current = await this.options.client.request<StatusObject>('GET', path);
      const desired = this.withForeignParents(s, current.status);
      if (sameStatus(desired, current.status ?? {})) {
        this.written.set(key, wanted);
        return 'unchanged';
      }
      const status = stamp(desired, current.status, rfc3339(this.options.now?.() ?? new Date()));
      await this.options.client.request('PUT', `${path}/status`, { body: { ...current, status } });
      this.written.set(key, wanted);
      return 'written';
    } catch (err) {
      if (!isNotFound(err) && !isConflict(err)) this.options.logger?.warn({ err: errorMessage(err), object: key }, 'gateway API status write failed');
      return 'failed';
    }
  }

  /** Route parents belong to the controller that names itself in them: keep the other controllers' entries. */
  private withForeignParents(s: GatewayApiStatus, current: Record<string, unknown> | undefined): Record<string, unknown> {
    const parents = current?.['parents'];
    if (!Array.isArray(parents) || !Array.isArray(s.status['parents'])) return s.status;
    const foreign = parents.filter((p: unknown) => (p as { controllerName?: unknown }).controllerName !== this.options.controllerName);
    return foreign.length === 0 ? s.status : { ...s.status, parents: [...foreign, ...(s.status['parents'] as unknown[])] };
  }
}
