/** Builds a productpage against real stub servers standing in for details/reviews/ratings. */
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { silentLogger } from '@trellis/shared';
import { createHttpClient, startStubServer, type HttpClient, type StubBehaviour, type StubServer } from '@trellis/bookinfo-common';
import { buildApp } from '../app';
import { loadConfig, type ProductpageConfig } from '../config';

export const DETAILS_BODY =
  '{"id":0,"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}';

export function reviewsBody(rating?: (stars: number) => string, podname = 'reviews-v2-abc-123'): string {
  const r = (stars: number): string => (rating === undefined ? '' : `, "rating": ${rating(stars)}`);
  return (
    `{"id": "0","podname": "${podname}","clustername": "null","reviews": [` +
    `{  "reviewer": "Reviewer1",  "text": "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"${r(5)}},` +
    `{  "reviewer": "Reviewer2",  "text": "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare."${r(4)}}]}`
  );
}

export const blackStars = (stars: number): string => `{"stars": ${stars}, "color": "black"}`;
export const json = (body: string, status = 200): StubBehaviour => ({ status, body });

export interface Harness {
  readonly app: FastifyInstance;
  readonly details: StubServer;
  readonly reviews: StubServer;
  readonly ratings: StubServer;
  readonly config: ProductpageConfig;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly details?: StubBehaviour;
  readonly reviews?: StubBehaviour;
  readonly ratings?: StubBehaviour;
  readonly timeoutMs?: number;
  readonly env?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const details = await startStubServer(options.details ?? json(DETAILS_BODY));
  const reviews = await startStubServer(options.reviews ?? json(reviewsBody(blackStars)));
  const ratings = await startStubServer(options.ratings ?? json('{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}'));
  const env = {
    DETAILS_HOSTNAME: '127.0.0.1',
    DETAILS_SERVICE_PORT: String(details.port),
    REVIEWS_HOSTNAME: '127.0.0.1',
    REVIEWS_SERVICE_PORT: String(reviews.port),
    RATINGS_HOSTNAME: '127.0.0.1',
    RATINGS_SERVICE_PORT: String(ratings.port),
    ...options.env,
  };
  const loaded = loadConfig(env, path.join(__dirname, '..'));
  const config = { ...loaded, timeoutMs: options.timeoutMs ?? loaded.timeoutMs };
  const client: HttpClient = createHttpClient();
  const app = await buildApp(config, { logger: silentLogger(), client });
  return {
    app,
    details,
    reviews,
    ratings,
    config,
    close: async () => {
      await app.close();
      await client.close();
      await Promise.all([details.close(), reviews.close(), ratings.close()]);
    },
  };
}

/** `glyphicon glyphicon-star` markers (full stars only in the current template). */
export function countFullStars(html: string): number {
  return html.split('id="glyphicon glyphicon-star"').length - 1;
}

export function countOccurrences(html: string, needle: string): number {
  return html.split(needle).length - 1;
}
