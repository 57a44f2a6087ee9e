/**
 * Kiali's routing for the UI: `/` → `/kiali/`; `/kiali`, `/kiali/` and `/kiali/console/**` (any depth,
 * the SPA's routes) → the rewritten index.html; `/kiali/env.js` → the web root; every other path under
 * `/kiali/` → a file of the build with its content type. `/kiali/api/**` is the REST API (registered apart).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { TrellisError } from '@trellis/shared';
import { contentTypeOf } from './mime';
import { WEB_ROOT, type UiBuild } from './ui-build';

function sendIndex(ui: UiBuild, reply: FastifyReply): FastifyReply {
  return reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(ui.indexHtml);
}

/** The build's file for a URL path under the web root, or undefined when it would leave the build. */
export function resolveBuildFile(dir: string, relative: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(relative);
  } catch {
    return undefined;
  }
  const file = path.resolve(dir, '.' + path.posix.normalize('/' + decoded));
  return file.startsWith(path.resolve(dir) + path.sep) ? file : undefined;
}

async function sendFile(ui: UiBuild, relative: string, reply: FastifyReply): Promise<FastifyReply> {
  const file = resolveBuildFile(ui.dir, relative);
  const info = file === undefined ? undefined : await stat(file).catch(() => undefined);
  if (file === undefined || info === undefined || !info.isFile()) throw new TrellisError('NOT_FOUND', `${WEB_ROOT}/${relative} not found`, { path: relative });
  const immutable = relative.startsWith('static/');
  return reply
    .header('content-type', contentTypeOf(file))
    .header('content-length', info.size)
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .send(createReadStream(file));
}

export function registerUi(app: FastifyInstance, ui: UiBuild): void {
  app.get('/', (_req, reply) => reply.redirect(`${WEB_ROOT}/`));
  app.get(WEB_ROOT, (_req, reply) => sendIndex(ui, reply));
  app.get(`${WEB_ROOT}/`, (_req, reply) => sendIndex(ui, reply));
  app.get(`${WEB_ROOT}/index.html`, (_req, reply) => sendIndex(ui, reply));
  app.get(`${WEB_ROOT}/console`, (_req, reply) => sendIndex(ui, reply));
  app.get(`${WEB_ROOT}/console/*`, (_req, reply) => sendIndex(ui, reply));
  app.get(`${WEB_ROOT}/env.js`, (_req, reply) => reply.header('content-type', 'application/javascript; charset=utf-8').header('cache-control', 'no-cache').send(ui.envJs));
  app.get<{ Params: { '*': string } }>(`${WEB_ROOT}/*`, (req, reply) => sendFile(ui, req.params['*'], reply));
}
