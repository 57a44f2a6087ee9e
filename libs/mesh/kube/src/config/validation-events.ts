import { hostname } from 'node:os';
import { formatValidationError, type ValidationError } from '@trellis/mesh-api';
import { errorMessage, type Logger } from '@trellis/shared';
import type { KubeClient } from '../client/kube-client';
import type { KubeObject } from '../client/types';

export const VALIDATION_FAILED_REASON = 'ValidationFailed';

/** Kubernetes truncates event messages at 1 KiB. */
const MAX_MESSAGE = 1024;

export interface EventRecorderOptions {
  client: KubeClient;
  logger?: Logger;
  /** `source.component` / `reportingComponent` (default `istiod`). */
  component?: string;
  now?: () => Date;
}

const timestamp = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Makes validation problems visible to kubectl users: one core/v1 Warning Event (reason
 * `ValidationFailed`) per invalid object version, shown by `kubectl describe` and `kubectl get events`.
 */
export class ValidationEventRecorder {
  private readonly reported = new Set<string>();
  private readonly component: string;

  constructor(private readonly options: EventRecorderOptions) {
    this.component = options.component ?? 'istiod';
  }

  /** Record (once per uid + resourceVersion) that `object` is not served because of `errors`. */
  async report(object: KubeObject, errors: readonly ValidationError[]): Promise<void> {
    const m = object.metadata;
    const key = `${m.uid ?? `${m.namespace}/${m.name}`}@${m.resourceVersion ?? ''}`;
    const message = errors.map(formatValidationError).join('; ');
    this.options.logger?.warn({ kind: object.kind, namespace: m.namespace, name: m.name, errors: message }, 'invalid Istio config not served');
    if (this.reported.has(key)) return;
    this.reported.add(key);
    try {
      await this.options.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(m.namespace ?? 'default')}/events`, { body: this.event(object, message) });
    } catch (err) {
      this.reported.delete(key);
      this.options.logger?.error({ namespace: m.namespace, name: m.name, err: errorMessage(err) }, 'recording validation event failed');
    }
  }

  /** Forget an object (after deletion), so a re-created object with the same version is reported again. */
  forget(object: KubeObject): void {
    const prefix = `${object.metadata.uid ?? `${object.metadata.namespace}/${object.metadata.name}`}@`;
    for (const k of this.reported) if (k.startsWith(prefix)) this.reported.delete(k);
  }

  private event(object: KubeObject, message: string): Record<string, unknown> {
    const m = object.metadata;
    const now = timestamp((this.options.now ?? (() => new Date()))());
    return {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${m.name}.`, namespace: m.namespace ?? 'default' },
      involvedObject: { apiVersion: object.apiVersion, kind: object.kind, name: m.name, namespace: m.namespace, uid: m.uid, resourceVersion: m.resourceVersion },
      reason: VALIDATION_FAILED_REASON,
      message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 3)}...` : message,
      type: 'Warning',
      source: { component: this.component },
      reportingComponent: this.component,
      reportingInstance: hostname(),
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
    };
  }
}
