import { readFileSync } from 'node:fs';
import { validateMeshService, validateWorkloadInstance, type MeshService, type WorkloadInstance } from '@trellis/mesh-api';
import { errorMessage, type Logger } from '@trellis/shared';
import { writeAtomic } from '../store/atomic-file';
import type { ServiceRegistry } from './service-registry';

interface RegistryFile {
  services: MeshService[];
  workloads: WorkloadInstance[];
}

function readRegistryFile(file: string, logger: Logger): RegistryFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { services: [], workloads: [] };
  }
  try {
    const parsed = JSON.parse(text) as Partial<RegistryFile>;
    const services = (parsed.services ?? []).filter((s) => validateMeshService(s).length === 0);
    const workloads = (parsed.workloads ?? []).filter((w) => validateWorkloadInstance(w).length === 0);
    return { services, workloads };
  } catch (err) {
    logger.warn({ file, err: errorMessage(err) }, 'registry file unreadable, starting empty');
    return { services: [], workloads: [] };
  }
}

/**
 * Keeps a local registry in `file` (JSON, written atomically after each change) and restores it
 * at start, so a control-plane restart serves the same endpoints it served before.
 * Returns a function that stops following the registry.
 */
export function persistRegistry(registry: ServiceRegistry, file: string, logger: Logger): { flush(): Promise<void>; stop(): void } {
  const saved = readRegistryFile(file, logger);
  for (const s of saved.services) registry.upsertService(s);
  for (const w of saved.workloads) registry.upsertWorkload(w);
  let writing: Promise<void> = Promise.resolve();
  let dirty = false;
  const save = (): void => {
    if (dirty) return;
    dirty = true;
    writing = writing.then(async () => {
      dirty = false;
      const body: RegistryFile = { services: registry.services(), workloads: registry.workloads() };
      await writeAtomic(file, JSON.stringify(body, null, 1) + '\n').catch((err: unknown) =>
        logger.error({ file, err: errorMessage(err) }, 'writing registry file failed'),
      );
    });
  };
  const stop = registry.onChange(save);
  return { flush: () => writing, stop };
}
