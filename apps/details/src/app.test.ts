import { silentLogger } from '@trellis/shared';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app';
import { loadConfig } from './config';
import { parseRubyInteger } from './ruby-integer';

const BOOK =
  '{"id":0,"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA",' +
  '"language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}';

describe('details v1', () => {
  let app: FastifyInstance;
  beforeEach(() => {
    app = buildApp({ logger: silentLogger() });
  });
  afterEach(() => app.close());

  it('GET /health', async () => {
    const res = await app.inject({ url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe('{"status":"Details is healthy"}');
  });

  it('GET /details/0 returns the book with keys in upstream order', async () => {
    const res = await app.inject({ url: '/details/0' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.body).toBe(BOOK);
  });

  it('echoes other integer ids (any method, last segment, big numbers)', async () => {
    expect((await app.inject({ url: '/details/42' })).json()).toMatchObject({ id: 42, author: 'William Shakespeare' });
    expect((await app.inject({ method: 'POST', url: '/details/1', payload: '{bad json', headers: { 'content-type': 'application/json' } })).json()).toMatchObject({ id: 1 });
    expect((await app.inject({ url: '/details/a/7' })).json()).toMatchObject({ id: 7 });
    expect((await app.inject({ url: '/details/-3' })).json()).toMatchObject({ id: -3 });
    expect((await app.inject({ url: '/details/123456789012345678901234567890' })).body).toContain('"id":123456789012345678901234567890,');
  });

  it('rejects non-integer ids with 400', async () => {
    for (const url of ['/details/abc', '/details', '/details/', '/details/1.5', '/details/0/x']) {
      const res = await app.inject({ url });
      expect([url, res.statusCode, res.body]).toEqual([url, 400, '{"error":"please provide numeric product id"}']);
      expect(res.headers['content-type']).toBe('application/json');
    }
  });

  it('answers unknown paths with a WEBrick-style 404 page', async () => {
    for (const url of ['/', '/detailsX/0', '/foo']) {
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Not Found');
      expect(res.body).not.toContain('    at ');
    }
  });
});

describe('parseRubyInteger', () => {
  it('follows Ruby Integer() rules', () => {
    expect(parseRubyInteger('0')).toBe(0n);
    expect(parseRubyInteger(' 12 ')).toBe(12n);
    expect(parseRubyInteger('010')).toBe(8n);
    expect(parseRubyInteger('0x1A')).toBe(26n);
    expect(parseRubyInteger('0b101')).toBe(5n);
    expect(parseRubyInteger('1_000')).toBe(1000n);
    expect(parseRubyInteger('+5')).toBe(5n);
    expect(parseRubyInteger('09')).toBeUndefined();
    expect(parseRubyInteger('1__0')).toBeUndefined();
    expect(parseRubyInteger('')).toBeUndefined();
    expect(parseRubyInteger('abc')).toBeUndefined();
  });
});

describe('loadConfig', () => {
  it('reads HOST and PORT', () => {
    expect(loadConfig({})).toEqual({ host: '0.0.0.0', port: 9080, logLevel: 'info' });
    expect(loadConfig({ HOST: '127.0.0.9', PORT: '0' })).toMatchObject({ host: '127.0.0.9', port: 0 });
  });
});
