import { silentLogger } from '@trellis/shared';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { loadConfig } from './config';
import { RatingsDbError, type FirstTwoRatings, type RatingsDatabase } from './db/ratings-database';

/** A v2 backend answering from a list of outcomes, one per read. */
function fakeDatabase(outcomes: (FirstTwoRatings | RatingsDbError)[]): RatingsDatabase {
  return { firstTwoRatings: () => { const next = outcomes.shift(); return next instanceof RatingsDbError ? Promise.reject(next) : Promise.resolve(next ?? { reviewer1: 0, reviewer2: 0 }); } };
}

describe('ratings v1', () => {
  let app: FastifyInstance;
  beforeEach(() => {
    app = buildApp({ serviceVersion: 'v1', logger: silentLogger(), bodyLimit: 1024 });
  });
  afterEach(() => app.close());

  it('GET /health', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"status":"Ratings is healthy"}');
  });

  it('GET /ratings/:id returns the default ratings with a numeric id', async () => {
    const res = await app.inject({ method: 'GET', url: '/ratings/0' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}');
    expect((await app.inject({ url: '/ratings/12abc' })).body).toBe('{"id":12,"ratings":{"Reviewer1":5,"Reviewer2":4}}');
    expect((await app.inject({ url: '/ratings/7?x=1' })).json()).toEqual({ id: 7, ratings: { Reviewer1: 5, Reviewer2: 4 } });
  });

  it('rejects non-numeric ids with 400', async () => {
    for (const url of ['/ratings/abc', '/ratings/', '/ratings/0/abc']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(400);
      expect(res.body).toBe('{"error":"please provide numeric product ID"}');
    }
  });

  it('POST stores ratings in memory per product', async () => {
    const post = await app.inject({ method: 'POST', url: '/ratings/3', payload: '{"Reviewer1":1,"Reviewer2":1}', headers: { 'content-type': 'application/json' } });
    expect(post.statusCode).toBe(200);
    expect(post.body).toBe('{"id":3,"ratings":{"Reviewer1":1,"Reviewer2":1}}');
    expect((await app.inject({ url: '/ratings/3' })).body).toBe('{"id":3,"ratings":{"Reviewer1":1,"Reviewer2":1}}');
    expect((await app.inject({ url: '/ratings/0' })).json()).toEqual({ id: 0, ratings: { Reviewer1: 5, Reviewer2: 4 } });
  });

  it('POST accepts JSON regardless of content type', async () => {
    const res = await app.inject({ method: 'POST', url: '/ratings/1', payload: '{"Reviewer1":2}', headers: { 'content-type': 'text/plain' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 1, ratings: { Reviewer1: 2 } });
  });

  it('POST with malformed, empty or oversized JSON gives 400 valid-JSON error', async () => {
    const bodies = ['{"Reviewer1":', '', JSON.stringify({ big: 'x'.repeat(5000) })];
    for (const payload of bodies) {
      const res = await app.inject({ method: 'POST', url: '/ratings/0', payload, headers: { 'content-type': 'application/json' } });
      expect(res.statusCode).toBe(400);
      expect(res.body).toBe('{"error":"please provide valid ratings JSON"}');
    }
  });

  it('POST with a non-numeric id gives the id error first', async () => {
    const res = await app.inject({ method: 'POST', url: '/ratings/x', payload: 'not json', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'please provide numeric product ID' });
  });

  it('answers other paths and methods with an empty 404', async () => {
    const cases = [
      { method: 'GET', url: '/' },
      { method: 'GET', url: '/ratings' },
      { method: 'PUT', url: '/ratings/0' },
      { method: 'DELETE', url: '/ratings/0' },
      { method: 'HEAD', url: '/health' },
      { method: 'POST', url: '/health' },
    ] as const;
    for (const c of cases) {
      const res = await app.inject(c);
      expect([c, res.statusCode, res.body]).toEqual([c, 404, '']);
    }
  });
});

describe('ratings v2 without a database', () => {
  it('answers GET with the database error and POST with 501', async () => {
    const app = buildApp({ serviceVersion: 'v2', logger: silentLogger() });
    const get = await app.inject({ url: '/ratings/0' });
    expect(get.statusCode).toBe(500);
    expect(get.body).toBe('{"error":"could not connect to ratings database"}');
    const post = await app.inject({ method: 'POST', url: '/ratings/0', payload: '{}' });
    expect(post.statusCode).toBe(501);
    expect(post.body).toBe('{"error":"Post not implemented for database backed ratings"}');
    await app.close();
  });
});

describe('ratings v2 with a database', () => {
  it('answers GET from the first two rows, with the requested id', async () => {
    const app = buildApp({ serviceVersion: 'v2', logger: silentLogger(), database: fakeDatabase([{ reviewer1: 5, reviewer2: 4 }, { reviewer1: 1, reviewer2: 0 }]) });
    const first = await app.inject({ url: '/ratings/0' });
    expect([first.statusCode, first.headers['content-type'], first.body]).toEqual([200, 'application/json', '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}']);
    expect((await app.inject({ url: '/ratings/7' })).body).toBe('{"id":7,"ratings":{"Reviewer1":1,"Reviewer2":0}}');
    await app.close();
  });

  it.each([
    ['RATINGS_DB_CONNECT', 'could not connect to ratings database'],
    ['RATINGS_DB_SELECT', 'could not perform select'],
    ['RATINGS_DB_LOAD', 'could not load ratings from database'],
  ] as const)('answers %s with 500 {"error":"%s"}', async (code, text) => {
    const app = buildApp({ serviceVersion: 'v2', logger: silentLogger(), database: fakeDatabase([new RatingsDbError(code)]) });
    const res = await app.inject({ url: '/ratings/0' });
    expect([res.statusCode, res.body]).toEqual([500, JSON.stringify({ error: text })]);
    await app.close();
  });

  it('checks the id before reading, and never reads for POST (501)', async () => {
    const app = buildApp({ serviceVersion: 'v2', logger: silentLogger(), database: fakeDatabase([new RatingsDbError('RATINGS_DB_CONNECT')]) });
    expect((await app.inject({ url: '/ratings/x' })).statusCode).toBe(400);
    const post = await app.inject({ method: 'POST', url: '/ratings/0', payload: '{"Reviewer1":1}' });
    expect([post.statusCode, post.json()]).toEqual([501, { error: 'Post not implemented for database backed ratings' }]);
    await app.close();
  });
});

describe('loadConfig', () => {
  it('defaults to v1 on 0.0.0.0:9080', () => {
    expect(loadConfig({})).toEqual({ host: '0.0.0.0', port: 9080, serviceVersion: 'v1', logLevel: 'info', database: { type: 'mongodb', url: undefined } });
    expect(loadConfig({ HOST: '127.0.0.5', PORT: '0', SERVICE_VERSION: 'v2' })).toMatchObject({ host: '127.0.0.5', port: 0, serviceVersion: 'v2' });
  });
});
