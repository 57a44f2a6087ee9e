import { InjectErrorCode, injectError } from '../errors';
import { Annotation } from './constants';
import type { Container, Pod } from './types';

/** `sidecar.istio.io/status`: what was injected, so re-injection replaces instead of duplicating. */
export interface SidecarStatus {
  readonly initContainers: readonly string[];
  readonly containers: readonly string[];
  readonly volumes: readonly string[];
  readonly revision: string;
}

function names(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

export function parseStatus(annotation: string | undefined): SidecarStatus | undefined {
  if (annotation === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(annotation);
  } catch {
    throw injectError(InjectErrorCode.unsupportedPod, 'sidecar status annotation is not JSON', { annotation: Annotation.status });
  }
  if (!parsed || typeof parsed !== 'object') {
    throw injectError(InjectErrorCode.unsupportedPod, 'sidecar status annotation is not an object', { annotation: Annotation.status });
  }
  const s = parsed as Record<string, unknown>;
  return {
    initContainers: names(s['initContainers']),
    containers: names(s['containers']),
    volumes: names(s['volumes']),
    revision: typeof s['revision'] === 'string' ? s['revision'] : 'default',
  };
}

/** Istio's key order: initContainers, containers, volumes, revision. */
export function formatStatus(s: SidecarStatus): string {
  return JSON.stringify({ initContainers: s.initContainers, containers: s.containers, volumes: s.volumes, revision: s.revision });
}

export interface StrippedPod {
  /** The pod without the previously injected containers, volumes and status annotation (a copy). */
  readonly pod: Pod;
  /** The previous proxy container, if any (its env holds the app's original Prometheus annotations). */
  readonly previousProxy: Container | undefined;
}

function without<T extends { name: string }>(items: T[] | undefined, drop: readonly string[]): T[] | undefined {
  const kept = items?.filter((item) => !drop.includes(item.name));
  return kept && kept.length > 0 ? kept : undefined;
}

/** Removes what `status` lists; arrays that become empty are removed so re-injection is byte-identical. */
export function stripInjected(pod: Pod, status: SidecarStatus | undefined): StrippedPod {
  const copy = structuredClone(pod);
  if (!status) return { pod: copy, previousProxy: undefined };
  const previousProxy = copy.spec.containers.find((c) => status.containers.includes(c.name));
  copy.spec.containers = copy.spec.containers.filter((c) => !status.containers.includes(c.name));
  const initContainers = without(copy.spec.initContainers, status.initContainers);
  const volumes = without(copy.spec.volumes, status.volumes);
  if (initContainers) copy.spec.initContainers = initContainers;
  else delete copy.spec.initContainers;
  if (volumes) copy.spec.volumes = volumes;
  else delete copy.spec.volumes;
  if (copy.metadata?.annotations) delete copy.metadata.annotations[Annotation.status];
  return { pod: copy, previousProxy };
}
