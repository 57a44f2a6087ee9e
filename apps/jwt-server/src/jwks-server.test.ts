import { readFileSync } from 'node:fs';
import path from 'node:path';
import { silentLogger } from '@trellis/shared';
import { parseArgs } from './args';
import { parseGoDuration } from './go-duration';
import { startJwtServer, type JwtServer } from './jwks-server';
import { JWKS_TEXT } from './jwks';

const ROOT = path.resolve(__dirname, '../../..');

describe('jwt-server (real sockets, port 0)', () => {
  let server: JwtServer;
  beforeAll(async () => {
    server = await startJwtServer({ httpPort: 0, httpsPort: 0, cert: undefined, key: undefined, host: '127.0.0.1' }, silentLogger());
  });
  afterAll(() => server.close());
  const get = (p: string): Promise<Response> => fetch(`http://127.0.0.1:${server.httpPort}${p}`);

  it.each(['/jwks', '/', '/anything'])('%s → 200 with samples/jwt-server/jwks.json (every path, as the Go server)', async (p) => {
    const res = await get(p);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(readFileSync(path.join(ROOT, 'samples/jwt-server/jwks.json'), 'utf8')));
    expect(server.httpsPort).toBeUndefined();
  });

  it('the embedded JWKS is samples/jwt-server/jwks.json (regenerate jwks.ts when the key changes)', () => {
    expect(JSON.parse(JWKS_TEXT)).toEqual(JSON.parse(readFileSync(path.join(ROOT, 'samples/jwt-server/jwks.json'), 'utf8')));
  });

  it('?delay=150ms answers after the delay; an unparsable delay is 400 Invalid delay parameter', async () => {
    const started = Date.now();
    expect((await get('/jwks?delay=150ms')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const bad = await get('/jwks?delay=soon');
    expect([bad.status, await bad.text()]).toEqual([400, 'Invalid delay parameter']);
  });
});

describe('Go flags and durations', () => {
  it('parses the Go server\'s flags', () => {
    expect(parseArgs(['-https', '9443', '-cert', '/c', '-key=/k'])).toEqual({ httpPort: 8000, httpsPort: 9443, cert: '/c', key: '/k', host: undefined });
    expect(() => parseArgs(['-jwks', 'x'])).toThrow(/flag provided but not defined/);
  });

  it.each([['0', 0], ['150ms', 150], ['1.5s', 1500], ['1m30s', 90000], ['-2s', -2000], ['1', undefined], ['s', undefined], ['1d', undefined]])('%s → %s ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });
});
