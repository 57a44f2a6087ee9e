/**
 * productpage's downstream calls with upstream's policy: details and ratings one attempt, reviews
 * two (the deliberate retry "bug" the fault-injection task relies on), each attempt bounded by
 * `timeoutMs`. Failures keep the upstream status (500 when no response arrived).
 */
import { parseJsonBody, type HttpClient, type OutgoingHeaders } from '@trellis/bookinfo-common';
import type { Logger } from '@trellis/shared';
import type { ProductpageConfig, ServiceEndpoint } from './config';
import type { ProductpageMetrics } from './metrics';

export interface DownstreamResult {
  readonly status: number;
  /** Parsed JSON on 200, else `{"error": "<sorry text>"}`. */
  readonly body: unknown;
}

export interface Backends {
  details(productId: string, headers: OutgoingHeaders): Promise<DownstreamResult>;
  reviews(productId: string, headers: OutgoingHeaders): Promise<DownstreamResult>;
  ratings(productId: string, headers: OutgoingHeaders): Promise<DownstreamResult>;
  /** FLOOD_FACTOR extra reviews calls whose answers are ignored. */
  flood(productId: string, headers: OutgoingHeaders): Promise<void>;
}

const SORRY = {
  details: 'Sorry, product details are currently unavailable for this book.',
  reviews: 'Sorry, product reviews are currently unavailable for this book.',
  ratings: 'Sorry, product ratings are currently unavailable for this book.',
} as const;

type Attempt = { readonly ok: true; readonly body: unknown } | { readonly ok: false; readonly status: number };

export interface BackendDeps {
  readonly client: HttpClient;
  readonly metrics: ProductpageMetrics;
  readonly logger: Logger;
}

type BackendConfig = Pick<ProductpageConfig, 'details' | 'reviews' | 'ratings' | 'timeoutMs' | 'floodFactor'>;

export function createBackends(config: BackendConfig, deps: BackendDeps): Backends {
  const attempt = async (service: ServiceEndpoint, productId: string, headers: OutgoingHeaders): Promise<Attempt> => {
    const url = `${service.origin}/${service.endpoint}/${encodeURIComponent(productId)}`;
    const outcome = await deps.client.get(url, { headers, timeoutMs: config.timeoutMs });
    if (outcome.kind === 'failure') {
      deps.logger.warn({ url, reason: outcome.reason, error: outcome.message }, 'downstream call failed');
      return { ok: false, status: 500 };
    }
    if (outcome.status !== 200) return { ok: false, status: outcome.status };
    const body = parseJsonBody(outcome.body);
    if (body === undefined) {
      deps.logger.warn({ url }, 'downstream answered 200 without JSON');
      return { ok: false, status: 500 };
    }
    return { ok: true, body };
  };

  const call = async (service: ServiceEndpoint, productId: string, headers: OutgoingHeaders, attempts: number): Promise<DownstreamResult> => {
    let last: Attempt = { ok: false, status: 500 };
    for (let i = 0; i < attempts; i += 1) {
      last = await attempt(service, productId, headers);
      if (last.ok) break;
    }
    const status = last.ok ? 200 : last.status;
    deps.metrics.recordResult(service.endpoint, status);
    return last.ok ? { status, body: last.body } : { status, body: { error: SORRY[service.endpoint] } };
  };

  return {
    details: (id, headers) => call(config.details, id, headers, 1),
    reviews: (id, headers) => call(config.reviews, id, headers, 2),
    ratings: (id, headers) => call(config.ratings, id, headers, 1),
    async flood(id, headers) {
      const calls = Array.from({ length: config.floodFactor }, () => attempt(config.reviews, id, headers));
      await Promise.allSettled(calls);
    },
  };
}
