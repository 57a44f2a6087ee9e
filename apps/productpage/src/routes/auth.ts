/** POST /login and GET /logout: set/clear the signed session cookie and 302 back to the Referer. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { headerValue, sendExact } from '@trellis/bookinfo-common';
import type { ProductpageConfig } from '../config';
import { readSession } from '../request-context';
import { CLEARED_SESSION_COOKIE, encodeSession, sessionCookie } from '../session';
import { redirectPage } from '../views/werkzeug-pages';

/** 302 to the Referer; without one there is no Location header (upstream's redirect(None)). */
function redirectToReferer(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const referer = headerValue(req.headers, 'referer');
  if (referer !== undefined) reply.header('location', referer);
  return sendExact(reply.header('vary', 'Cookie'), 302, 'text/html; charset=utf-8', redirectPage(referer ?? ''));
}

/** Flask's request.values: query string, then form fields. */
function username(req: FastifyRequest): string | null {
  const pick = (source: unknown): string | undefined => {
    if (typeof source !== 'object' || source === null) return undefined;
    const value = (source as Record<string, unknown>)['username'];
    return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : undefined;
  };
  return pick(req.query) ?? pick(req.body) ?? null;
}

export function registerAuth(app: FastifyInstance, config: ProductpageConfig): void {
  app.post('/login', (req, reply) => {
    const user = username(req);
    req.log.info({ user }, 'login');
    reply.header('set-cookie', sessionCookie(encodeSession(config.sessionSecret, { user })));
    return redirectToReferer(req, reply);
  });

  app.get('/logout', (req, reply) => {
    if (readSession(req, config.sessionSecret) !== undefined) reply.header('set-cookie', CLEARED_SESSION_COOKIE);
    return redirectToReferer(req, reply);
  });
}
