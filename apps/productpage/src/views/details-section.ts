/** Book description and the details table (or the details error block). */
import type { DownstreamResult } from '../backends';
import type { Product } from '../products';
import { field, text, truthy } from './html';

export function descriptionSection(product: Product): string {
  return `
<!-- Book description section -->
<div class="container mt-8 mx-auto px-4 sm:px-6 lg:px-8">
  <h1 class="text-5xl font-bold tracking-tight text-blue-900">${text(product.title)}</h1>
  <div class="mt-6 max-w-4xl">
    <p class="mt-6 text-xl leading-8 text-gray-600">${product.descriptionHtml}</p>
    <div class="mt-6">
      <a href="https://istio.io" target="_blank" class="text-sm font-semibold leading-6 text-blue-600 hover:text-blue-700">Learn more about Istio <span aria-hidden="true">→</span></a>
    </div>
  </div>
</div>
`;
}

function detailsTable(details: unknown): string {
  const th = (label: string, pad: string): string =>
    `<th scope="col" class="whitespace-nowrap ${pad} text-left text-sm font-semibold text-gray-900">${label}</th>`;
  const td = (value: unknown, cls: string): string => `<td class="whitespace-nowrap ${cls}">${text(value)}</td>`;
  return `<h4 class="text-3xl font-semibold">Book Details</h4>
          <div class="-mx-4 -my-2 overflow-x-auto sm:-mx-6 lg:-mx-8">
            <div class="inline-block min-w-full py-2 align-middle sm:px-6 lg:px-8">
              <table class="min-w-full divide-y divide-gray-300">
                <thead>
                  <tr>
                    ${th('ISBN-10', 'py-3.5 pl-4 pr-3 sm:pl-0')}
                    ${th('Publisher', 'px-2 py-3.5')}
                    ${th('Pages', 'px-2 py-3.5')}
                    ${th('Type', 'px-2 py-3.5')}
                    ${th('Language', 'px-2 py-3.5')}
                  </tr>
                </thead>
                <tbody class="divide-y divide-gray-200 bg-white">
                  <tr>
                    ${td(field(details, 'ISBN-10'), 'py-2 pl-4 pr-3 text-sm text-gray-500 sm:pl-0')}
                    ${td(field(details, 'publisher'), 'px-2 py-2 text-sm font-medium text-gray-900')}
                    ${td(field(details, 'pages'), 'px-2 py-2 text-sm text-gray-900')}
                    ${td(field(details, 'type'), 'px-2 py-2 text-sm text-gray-500')}
                    ${td(field(details, 'language'), 'px-2 py-2 text-sm text-gray-500')}
                  </tr>
                </tbody>
              </table>
            </div>
          </div>`;
}

export function detailsSection(details: DownstreamResult): string {
  const content =
    details.status === 200
      ? detailsTable(details.body)
      : `<p class="text-2xl text-red-500">Error fetching product details</p>` +
        (truthy(details.body) ? `\n          <p class="text-lg text-gray-600">${text(field(details.body, 'error'))}</p>` : '');
  return `
<!-- Book details table -->
<div class="container mt-8 mx-auto px-4 sm:px-6 lg:px-8">
  <div class="mt-4 py-10">
      <div class="max-w-2xl">
        <div class="flow-root">
          ${content}
        </div>
      </div>
  </div>
</div>
`;
}
