import { RatingsDbError, type FirstTwoRatings, type RatingsDatabase } from './ratings-database';

/**
 * ratings v2's default backend is MongoDB (`MONGO_DB_URL`), which Trellis does not run: every read
 * fails as upstream's does when no MongoDB answers ("could not connect to ratings database").
 */
export class UnreachableDatabase implements RatingsDatabase {
  constructor(private readonly url: string | undefined) {}

  firstTwoRatings(): Promise<FirstTwoRatings> {
    return Promise.reject(new RatingsDbError('RATINGS_DB_CONNECT', { backend: 'mongodb', url: this.url ?? null, reason: 'no MongoDB client in this build' }));
  }
}
