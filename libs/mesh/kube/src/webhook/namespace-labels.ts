import type { Labels } from '@trellis/mesh-inject';
import { InjectorErrorCode, apiStatus, injectorError } from './errors';

/** The one CoreV1Api call the cache needs (a structural type, so tests can pass a fake). */
export interface NamespaceReader {
  readNamespace(param: { name: string }): Promise<{ metadata?: { labels?: Record<string, string> } }>;
}

export interface NamespaceLabelCacheOptions {
  /** How long a lookup is reused (default 2000 ms). Short: label changes apply within seconds. */
  readonly ttlMs?: number;
  readonly now?: () => number;
}

export interface NamespaceLabelCache {
  /** Labels of `namespace`; `{}` when it does not exist. Throws `INJECTOR_NAMESPACE_LOOKUP_FAILED`. */
  get(namespace: string): Promise<Labels>;
  clear(): void;
}

interface Entry {
  readonly expires: number;
  readonly value: Promise<Labels>;
}

async function lookup(reader: NamespaceReader, namespace: string): Promise<Labels> {
  try {
    const ns = await reader.readNamespace({ name: namespace });
    return { ...(ns.metadata?.labels ?? {}) };
  } catch (err) {
    if (apiStatus(err) === 404) return {};
    throw injectorError(InjectorErrorCode.namespaceLookup, 'could not read namespace labels', { namespace, status: apiStatus(err) }, err);
  }
}

/**
 * A GET per namespace with a short TTL: concurrent admissions for one namespace share one request,
 * failures are not cached. (Istio uses a namespace informer; admission traffic is light enough here.)
 */
export function namespaceLabelCache(reader: NamespaceReader, options: NamespaceLabelCacheOptions = {}): NamespaceLabelCache {
  const ttlMs = options.ttlMs ?? 2000;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();
  return {
    get(namespace: string): Promise<Labels> {
      const cached = entries.get(namespace);
      if (cached && cached.expires > now()) return cached.value;
      const value = lookup(reader, namespace);
      entries.set(namespace, { expires: now() + ttlMs, value });
      value.catch(() => {
        if (entries.get(namespace)?.value === value) entries.delete(namespace);
      });
      return value;
    },
    clear: () => entries.clear(),
  };
}
