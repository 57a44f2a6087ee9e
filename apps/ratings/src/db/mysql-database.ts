import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { RatingsDbError, type FirstTwoRatings, type RatingsDatabase } from './ratings-database';

export interface MysqlSettings {
  readonly host: string | undefined;
  readonly port: number | undefined;
  readonly user: string | undefined;
  readonly password: string | undefined;
  /** mysql2's connect timeout (its default is 10 s). */
  readonly connectTimeoutMs?: number;
}

type RatingRow = RowDataPacket & { Rating?: number | null };

/** `DB_TYPE=mysql`: one connection per request to database `test`, `SELECT Rating FROM ratings`, closed after (as upstream). */
export class MysqlDatabase implements RatingsDatabase {
  constructor(private readonly settings: MysqlSettings) {}

  async firstTwoRatings(): Promise<FirstTwoRatings> {
    const connection = await this.connect();
    try {
      const [rows] = await connection.query<RatingRow[]>('SELECT Rating FROM ratings');
      return { reviewer1: ratingOf(rows[0]), reviewer2: ratingOf(rows[1]) };
    } catch (err) {
      throw new RatingsDbError('RATINGS_DB_SELECT', { reason: reasonOf(err) }, err);
    } finally {
      await connection.end().catch(() => connection.destroy());
    }
  }

  private async connect(): Promise<Connection> {
    const s = this.settings;
    try {
      return await createConnection({ host: s.host, port: s.port, user: s.user, password: s.password, database: 'test', connectTimeout: s.connectTimeoutMs ?? 10_000 });
    } catch (err) {
      throw new RatingsDbError('RATINGS_DB_CONNECT', { host: s.host ?? null, port: s.port ?? null, reason: reasonOf(err) }, err);
    }
  }
}

function ratingOf(row: RatingRow | undefined): number | null {
  return row === undefined ? 0 : (row.Rating ?? null);
}

function reasonOf(err: unknown): string {
  if (err instanceof Error) return 'code' in err && typeof err.code === 'string' ? `${err.code}: ${err.message}` : err.message;
  return String(err);
}
