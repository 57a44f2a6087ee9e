/** `/static/...` from the assets directory (no CDN at page load); unknown files are Flask 404s. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { sendExact } from '@trellis/bookinfo-common';
import { NOT_FOUND_PAGE } from '../views/werkzeug-pages';

const TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ico': 'image/vnd.microsoft.icon',
};

export function registerStatic(app: FastifyInstance, assetsDir: string): void {
  const root = path.resolve(assetsDir);
  app.get<{ Params: { '*': string } }>('/static/*', async (req, reply) => {
    const file = path.resolve(root, req.params['*']);
    const type = TYPES[path.extname(file)];
    if (!file.startsWith(root + path.sep) || type === undefined) {
      return sendExact(reply, 404, 'text/html; charset=utf-8', NOT_FOUND_PAGE);
    }
    try {
      const content = await readFile(file);
      return reply.code(200).header('content-type', type).header('cache-control', 'no-cache').send(content);
    } catch {
      return sendExact(reply, 404, 'text/html; charset=utf-8', NOT_FOUND_PAGE);
    }
  });
}
