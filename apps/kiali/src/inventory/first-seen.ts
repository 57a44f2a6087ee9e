/**
 * Creation times for the list and details pages. The registry carries no timestamps, so a workload or
 * Service is dated when this Kiali first saw it (stated in docs/observability.md), never invented.
 */
export class FirstSeen {
  private readonly seen = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** ISO time of the first call for this key. */
  of(key: string): string {
    let at = this.seen.get(key);
    if (at === undefined) {
      at = new Date(this.now()).toISOString();
      this.seen.set(key, at);
    }
    return at;
  }
}
