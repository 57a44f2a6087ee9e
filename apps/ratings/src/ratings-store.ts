/** v1's in-memory ratings (per process, like upstream's `userAddedRatings`). */
export interface RatingsDocument {
  readonly id: number;
  readonly ratings: unknown;
}

export class RatingsStore {
  private readonly added = new Map<number, RatingsDocument>();

  get(productId: number): RatingsDocument {
    return this.added.get(productId) ?? { id: productId, ratings: { Reviewer1: 5, Reviewer2: 4 } };
  }

  put(productId: number, ratings: unknown): RatingsDocument {
    this.added.set(productId, { id: productId, ratings });
    return this.get(productId);
  }
}

/** Upstream: `parseInt(req.url.split('/').pop())` — the raw URL, query string included. */
export function productIdFromUrl(rawUrl: string): number {
  return parseInt(rawUrl.split('/').pop() ?? '', 10);
}
