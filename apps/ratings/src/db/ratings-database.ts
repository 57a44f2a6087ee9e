/**
 * ratings v2's database: the first two rows of the ratings table, as upstream's ratings.js reads
 * them. Failures are `RatingsDbError`s whose stable code picks upstream's response body.
 */
import { TrellisError } from '@trellis/shared';

/** Reviewer1's and Reviewer2's ratings; a missing row reads as 0, a NULL as null (upstream passes it on). */
export interface FirstTwoRatings {
  readonly reviewer1: number | null;
  readonly reviewer2: number | null;
}

export interface RatingsDatabase {
  /** Resolves the first two rows, or rejects with a `RatingsDbError`. */
  firstTwoRatings(): Promise<FirstTwoRatings>;
}

export type RatingsDbErrorCode = 'RATINGS_DB_CONNECT' | 'RATINGS_DB_SELECT' | 'RATINGS_DB_LOAD';

/** Upstream's 500 bodies, one per failure: connect (both backends), MySQL select, Mongo find. */
export const DB_ERROR_BODIES: Readonly<Record<RatingsDbErrorCode, { readonly error: string }>> = {
  RATINGS_DB_CONNECT: { error: 'could not connect to ratings database' },
  RATINGS_DB_SELECT: { error: 'could not perform select' },
  RATINGS_DB_LOAD: { error: 'could not load ratings from database' },
};

const MESSAGES: Readonly<Record<RatingsDbErrorCode, string>> = {
  RATINGS_DB_CONNECT: 'could not connect to the ratings database',
  RATINGS_DB_SELECT: 'the ratings select failed',
  RATINGS_DB_LOAD: 'could not load ratings from the database',
};

export class RatingsDbError extends TrellisError {
  constructor(
    override readonly code: RatingsDbErrorCode,
    context: Record<string, unknown> = {},
    cause?: unknown,
  ) {
    super(code, MESSAGES[code], context, { cause });
  }
}

export function isRatingsDbError(err: unknown): err is RatingsDbError {
  return err instanceof RatingsDbError;
}
