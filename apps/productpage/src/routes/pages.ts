/** HTML routes: landing page, health, and `/productpage` (details then reviews, always 200). */
import type { FastifyInstance } from 'fastify';
import { sendExact } from '@trellis/bookinfo-common';
import type { Backends } from '../backends';
import type { ProductpageConfig } from '../config';
import { PRODUCTS, type Product } from '../products';
import { forwardHeaders, sessionUser } from '../request-context';
import { renderIndexPage } from '../views/index-page';
import { renderProductPage } from '../views/product-page';

const HTML = 'text/html; charset=utf-8';

export function registerPages(app: FastifyInstance, config: ProductpageConfig, backends: Backends): void {
  const indexPage = renderIndexPage(config);
  for (const path of ['/', '/index.html']) app.get(path, (_req, reply) => sendExact(reply, 200, HTML, indexPage));

  app.get('/health', (_req, reply) => sendExact(reply, 200, HTML, 'Product page is healthy'));

  app.get('/productpage', async (req, reply) => {
    const headers = forwardHeaders(req, config.sessionSecret);
    const details = await backends.details('0', headers);
    if (config.floodFactor > 0) await backends.flood('0', headers);
    const reviews = await backends.reviews('0', headers);
    const product = PRODUCTS[0] as Product;
    const page = renderProductPage({ user: sessionUser(req, config.sessionSecret), product, details, reviews });
    return sendExact(reply.header('vary', 'Cookie'), 200, HTML, page);
  });
}
