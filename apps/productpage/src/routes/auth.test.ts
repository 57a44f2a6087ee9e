import { startHarness, type Harness } from '../testing/harness';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function sessionFrom(setCookie: string | string[] | undefined): string {
  const value = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return /^session=([^;]*)/.exec(value ?? '')?.[1] ?? '';
}

describe('productpage login/logout', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('POST /login sets a signed HttpOnly session cookie and redirects to the Referer', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/login', payload: 'username=jason&passwd=', headers: { ...FORM, referer: 'http://gw/productpage' } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('http://gw/productpage');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/^session=eyJ1c2VyIjoiamFzb24ifQ\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+; HttpOnly; Path=\/$/);
    expect(res.body).toContain('Redirecting...');
  });

  it('without a Referer the 302 has no Location header', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/login', payload: 'username=jason', headers: FORM });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBeUndefined();
  });

  it('adds end-user only for a valid session, shows the user and Sign out', async () => {
    const login = await h.app.inject({ method: 'POST', url: '/login', payload: 'username=jason&passwd=x', headers: { ...FORM, referer: '/productpage' } });
    const session = sessionFrom(login.headers['set-cookie']);
    const page = await h.app.inject({ url: '/productpage', headers: { cookie: `session=${session}` } });
    expect(page.body).toContain('<p class="text-base font-medium text-gray-50">jason</p>');
    expect(page.body).toContain('<a href="logout"');
    expect(page.body).not.toContain('id="sign-in-button"');
    expect(h.details.requests[0]?.headers['end-user']).toBe('jason');
    expect(h.reviews.requests[0]?.headers['end-user']).toBe('jason');
    await h.app.inject({ url: '/api/v1/products/0/ratings', headers: { cookie: `session=${session}` } });
    expect(h.ratings.requests[0]?.headers['end-user']).toBe('jason');

    const forged = session.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    await h.app.inject({ url: '/api/v1/products/0', headers: { cookie: `session=${forged}`, 'end-user': 'jason' } });
    expect(h.details.requests[1]?.headers['end-user']).toBeUndefined();
  });

  it('GET /logout clears the cookie and redirects', async () => {
    const login = await h.app.inject({ method: 'POST', url: '/login', payload: 'username=jason', headers: FORM });
    const res = await h.app.inject({ url: '/logout', headers: { cookie: `session=${sessionFrom(login.headers['set-cookie'])}`, referer: '/productpage' } });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/productpage');
    expect(res.headers['set-cookie']).toBe('session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/');
  });

  it('GET /login and POST /logout are 405; unknown paths are 404 Werkzeug pages', async () => {
    const getLogin = await h.app.inject({ url: '/login' });
    expect(getLogin.statusCode).toBe(405);
    expect(getLogin.headers.allow).toBe('OPTIONS, POST');
    expect(getLogin.body).toContain('<title>405 Method Not Allowed</title>');
    expect((await h.app.inject({ method: 'POST', url: '/logout' })).statusCode).toBe(405);
    expect((await h.app.inject({ method: 'POST', url: '/productpage' })).statusCode).toBe(405);
    const missing = await h.app.inject({ url: '/nope' });
    expect(missing.statusCode).toBe(404);
    expect(missing.body).toContain('<title>404 Not Found</title>');
    expect((await h.app.inject({ url: '/api/v1/products/0/x' })).statusCode).toBe(404);
  });

  it('accepts login bodies that are not forms (no user) and never crashes on bad input', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/login', payload: '{bad json', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(302);
    const page = await h.app.inject({ url: '/productpage', headers: { cookie: `session=${sessionFrom(res.headers['set-cookie'])}` } });
    expect(page.body).toContain('id="sign-in-button"');
    expect(h.details.requests[0]?.headers['end-user']).toBeUndefined();
    const big = await h.app.inject({ method: 'POST', url: '/login', payload: `username=${'x'.repeat(100_000)}`, headers: FORM });
    expect(big.statusCode).toBe(413);
    expect(big.body).not.toContain('    at ');
  });
});
