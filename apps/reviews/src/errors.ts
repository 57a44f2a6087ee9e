/** The one place reviews turns failures into HTTP responses (JAX-RS style: empty 404/405 bodies). */
import type { FastifyError, FastifyInstance } from 'fastify';

const KNOWN_PATHS = [/^\/health\/?$/, /^\/reviews\/[^/]+\/?$/, /^\/$/];

export function installErrorHandling(app: FastifyInstance): void {
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    if (req.method !== 'GET' && KNOWN_PATHS.some((known) => known.test(path))) {
      return reply.code(405).header('allow', 'GET').send();
    }
    return reply.code(404).send();
  });
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode !== undefined && err.statusCode < 500 ? err.statusCode : 500;
    if (status === 500) req.log.error({ code: err.code, message: err.message }, 'request failed');
    return reply.code(status).send();
  });
}
