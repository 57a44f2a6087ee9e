/** The landing page (`/`, `/index.html`): the service tree as a json2html table and two links. */
import type { ServiceEndpoint } from '../config';
import { convert } from './json2html';
import { pageHead } from './page-head';

export interface ServiceTopology {
  readonly details: ServiceEndpoint;
  readonly reviews: ServiceEndpoint;
  readonly ratings: ServiceEndpoint;
}

/** Upstream quirk kept: the root node's `name` is the details URL. */
export function serviceTree(services: ServiceTopology): unknown {
  const node = (service: ServiceEndpoint, children: unknown[]): unknown => ({ name: service.origin, endpoint: service.endpoint, children });
  const ratings = node(services.ratings, []);
  return node(services.details, [node(services.details, []), node(services.reviews, [ratings])]);
}

export function renderIndexPage(services: ServiceTopology): string {
  return `${pageHead()}
<div class="container mt-8 mx-auto px-4 sm:px-6 lg:px-8">
  <h3 class="text-3xl font-semibold">Hello! This is a simple bookstore application consisting of three services as shown below</h3>
  <div class="mt-6 service-table">
    ${convert(serviceTree(services))}
  </div>
  <h4 class="mt-6 text-xl">Click on one of the links below to auto generate a request to the backend as a real user or a tester</h4>
  <p class="mt-4"><a class="text-blue-600" href="/productpage?u=normal">Normal user</a></p>
  <p class="mt-2"><a class="text-blue-600" href="/productpage?u=test">Test user</a></p>
</div>
`;
}
