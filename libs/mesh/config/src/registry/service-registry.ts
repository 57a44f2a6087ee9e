import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';

export type UpsertAction = 'created' | 'configured' | 'unchanged';

export interface RegistryChange {
  type: 'service' | 'workload';
  action: 'created' | 'configured' | 'removed';
  namespace: string;
  name: string;
}

export type RegistryListener = (change: RegistryChange) => void;

/** Services and the workload instances behind them (Kubernetes informers or the local runner). */
export interface ServiceRegistry {
  services(): MeshService[];
  workloads(): WorkloadInstance[];
  upsertService(service: MeshService): UpsertAction;
  removeService(namespace: string, name: string): boolean;
  upsertWorkload(workload: WorkloadInstance): UpsertAction;
  removeWorkload(namespace: string, name: string): boolean;
  onChange(listener: RegistryListener): () => void;
}
