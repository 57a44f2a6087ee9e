/** reviews -> ratings: one attempt, version-dependent timeout, any failure means "unavailable". */
import { parseJsonBody, serviceForwardHeaders, type HttpClient, type IncomingHeaders } from '@trellis/bookinfo-common';
import type { Logger } from '@trellis/shared';

export interface RatingsLookup {
  readonly client: HttpClient;
  readonly ratingsService: string;
  readonly timeoutMs: number;
  readonly logger: Logger;
}

const UNAVAILABLE: [number, number] = [-1, -1];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** JsonObject.getInt: numbers truncate to int; anything else counts as missing. */
function starsOf(ratings: Record<string, unknown>, reviewer: string): number {
  const value = ratings[reviewer];
  return typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : -1;
}

export async function fetchStars(lookup: RatingsLookup, productId: string, incoming: IncomingHeaders): Promise<[number, number]> {
  const url = `${lookup.ratingsService}/${productId}`;
  const headers = { ...serviceForwardHeaders(incoming), accept: 'application/json' };
  const outcome = await lookup.client.get(url, { headers, timeoutMs: lookup.timeoutMs });
  if (outcome.kind === 'failure') {
    lookup.logger.warn({ url, reason: outcome.reason, error: outcome.message }, 'ratings call failed');
    return UNAVAILABLE;
  }
  if (outcome.status !== 200) {
    lookup.logger.warn({ url, status: outcome.status }, 'ratings call returned an error status');
    return UNAVAILABLE;
  }
  const body = parseJsonBody(outcome.body);
  const ratings = isRecord(body) ? body['ratings'] : undefined;
  if (!isRecord(ratings)) return UNAVAILABLE;
  return [starsOf(ratings, 'Reviewer1'), starsOf(ratings, 'Reviewer2')];
}
