/** The one place productpage turns failures into HTTP responses (Werkzeug-style pages, no stacks). */
import type { FastifyError, FastifyInstance } from 'fastify';
import { sendExact } from '@trellis/bookinfo-common';
import { BAD_REQUEST_PAGE, INTERNAL_ERROR_PAGE, METHOD_NOT_ALLOWED_PAGE, NOT_FOUND_PAGE, TOO_LARGE_PAGE } from './views/werkzeug-pages';

const HTML = 'text/html; charset=utf-8';

/** Routes and the methods Flask would list in `Allow` for a 405. */
const ROUTES: readonly { readonly pattern: RegExp; readonly allow: string }[] = [
  { pattern: /^\/login$/, allow: 'OPTIONS, POST' },
  { pattern: /^\/(|index\.html|health|logout|productpage|metrics|api\/v1\/products(\/[^/]+(\/reviews|\/ratings)?)?|static\/.+)$/, allow: 'GET, HEAD, OPTIONS' },
];

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const route = ROUTES.find((r) => r.pattern.test(path));
    if (route === undefined) return sendExact(reply, 404, HTML, NOT_FOUND_PAGE);
    if (req.method === 'OPTIONS') return reply.code(200).header('allow', route.allow).send();
    return sendExact(reply.header('allow', route.allow), 405, HTML, METHOD_NOT_ALLOWED_PAGE);
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 413) return sendExact(reply, 413, HTML, TOO_LARGE_PAGE);
    if (status >= 400 && status < 500) return sendExact(reply, 400, HTML, BAD_REQUEST_PAGE);
    req.log.error({ code: err.code, message: err.message }, 'request failed');
    return sendExact(reply, 500, HTML, INTERNAL_ERROR_PAGE);
  });
}
