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
