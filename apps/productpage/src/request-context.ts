/** Per-request facts productpage derives from the incoming request: the session user and forward headers. */
import type { FastifyRequest } from 'fastify';
import { headerValue, productpageForwardHeaders, type OutgoingHeaders } from '@trellis/bookinfo-common';
import { cookieValue, decodeSession, SESSION_COOKIE, type Session } from './session';

export function readSession(req: FastifyRequest, secret: string): Session | undefined {
  const raw = cookieValue(headerValue(req.headers, 'cookie'), SESSION_COOKIE);
  return raw === undefined ? undefined : decodeSession(secret, raw);
}

/** The logged-in user name, if a valid session holds one. */
export function sessionUser(req: FastifyRequest, secret: string): string | undefined {
  return readSession(req, secret)?.user ?? undefined;
}

export function forwardHeaders(req: FastifyRequest, secret: string): OutgoingHeaders {
  return productpageForwardHeaders(req.headers, sessionUser(req, secret));
}
