/** What the Kiali REST routes read from: the control plane (config, analyze), the inventory, the metrics source. */
import { TrellisError } from '@trellis/shared';
import type { ControlPlaneClient } from '../control-plane/client';
import type { ControlPlaneInventory } from '../inventory/inventory';
import type { StatusInput } from '../model/startup';

export interface KialiApiDeps {
  readonly client: ControlPlaneClient;
  readonly inventory: ControlPlaneInventory;
  readonly status: StatusInput;
  readonly istioNamespace: string;
  /** Seconds between two samples of the metrics source (Prometheus' scrape interval, or the in-process one). */
  readonly scrapeIntervalSeconds: number;
}

export interface NsParams {
  namespace: string;
}

/** NOT_FOUND naming the namespace when the mesh has nothing in it. */
export async function requireNamespace(deps: KialiApiDeps, namespace: string): Promise<void> {
  const known = await deps.inventory.namespaces();
  if (!known.includes(namespace)) throw new TrellisError('NOT_FOUND', `Namespace ${namespace} not found`, { resource: 'namespace', name: namespace });
}

/** A boolean query parameter (`validate=true`); BAD_REQUEST naming it otherwise. */
export function boolParam(query: unknown, name: string): boolean {
  const raw = (query as Record<string, unknown> | undefined)?.[name];
  if (raw === undefined || raw === '' || raw === 'true') return raw === 'true' || raw === '';
  if (raw === 'false') return false;
  throw new TrellisError('BAD_REQUEST', `query parameter ${name} should be true or false`, { parameter: name, value: String(raw) });
}

export function stringParam(query: unknown, name: string): string | undefined {
  const raw = (query as Record<string, unknown> | undefined)?.[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new TrellisError('BAD_REQUEST', `query parameter ${name} should be given once`, { parameter: name });
  return raw;
}
