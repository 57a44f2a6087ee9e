import type { MeshService, WorkloadInstance } from '@trellis/mesh-api';
import { canonicalJson, deepFreeze } from '@trellis/shared';
import type { RegistryChange, RegistryListener, ServiceRegistry, UpsertAction } from './service-registry';

type Named = { namespace: string; name: string };

const keyOf = (o: Named): string => `${o.namespace}/${o.name}`;

function sorted<T extends Named>(map: Map<string, T>): T[] {
  return [...map.values()].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

/** In-memory registry: what the local runner announces. Returned values are frozen. */
export class LocalRegistry implements ServiceRegistry {
  private readonly svc = new Map<string, MeshService>();
  private readonly wl = new Map<string, WorkloadInstance>();
  private readonly listeners = new Set<RegistryListener>();

  services(): MeshService[] {
    return sorted(this.svc);
  }

  workloads(): WorkloadInstance[] {
    return sorted(this.wl);
  }

  upsertService(service: MeshService): UpsertAction {
    return this.upsert(this.svc, service, 'service');
  }

  removeService(namespace: string, name: string): boolean {
    return this.remove(this.svc, { namespace, name }, 'service');
  }

  upsertWorkload(workload: WorkloadInstance): UpsertAction {
    return this.upsert(this.wl, workload, 'workload');
  }

  removeWorkload(namespace: string, name: string): boolean {
    return this.remove(this.wl, { namespace, name }, 'workload');
  }

  onChange(listener: RegistryListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private upsert<T extends Named>(map: Map<string, T>, value: T, type: RegistryChange['type']): UpsertAction {
    const previous = map.get(keyOf(value));
    if (previous !== undefined && canonicalJson(previous) === canonicalJson(value)) return 'unchanged';
    map.set(keyOf(value), deepFreeze(structuredClone(value)));
    const action = previous === undefined ? 'created' : 'configured';
    this.notify({ type, action, namespace: value.namespace, name: value.name });
    return action;
  }

  private remove<T extends Named>(map: Map<string, T>, ref: Named, type: RegistryChange['type']): boolean {
    if (!map.delete(keyOf(ref))) return false;
    this.notify({ type, action: 'removed', ...ref });
    return true;
  }

  private notify(change: RegistryChange): void {
    for (const l of [...this.listeners]) {
      try {
        l(change);
      } catch {
        // listeners must not break registry updates
      }
    }
  }
}
