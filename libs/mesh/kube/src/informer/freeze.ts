/** Freeze a value and everything reachable from it (served objects are shared, never copied). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Whether the cached resourceVersion is `wanted` or newer (resourceVersions are etcd revisions in practice). */
export function isAtLeast(cached: string | undefined, wanted: string): boolean {
  if (cached === undefined) return false;
  if (cached === wanted) return true;
  const a = Number(cached);
  const b = Number(wanted);
  return Number.isFinite(a) && Number.isFinite(b) && a >= b;
}

/** Resolve once `done()` holds, re-checked whenever `subscribe`'s callback fires; gives up after `timeoutMs`. */
export function waitFor(done: () => boolean, subscribe: (check: () => void) => () => void, timeoutMs: number): Promise<boolean> {
  if (done()) return Promise.resolve(true);
  return new Promise((resolve) => {
    const finish = (ok: boolean): void => {
      clearTimeout(timer);
      unsubscribe();
      resolve(ok);
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    const unsubscribe = subscribe(() => {
      if (done()) finish(true);
    });
  });
}

/** JSON with sorted keys: equal strings = equal content. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
