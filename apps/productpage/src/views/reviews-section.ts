/** The reviews block: one `<section>` per review with stars or the ratings error, or the reviews error. */
import type { DownstreamResult } from '../backends';
import { field, jinjaText, text, truthy } from './html';

const FULL_STAR = `<svg id="glyphicon glyphicon-star" class="h-5 w-5 flex-none" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
                <path fill-rule="evenodd" d="M10.868 2.884c-.321-.772-1.415-.772-1.736 0l-1.83 4.401-4.753.381c-.833.067-1.171 1.107-.536 1.651l3.62 3.102-1.106 4.637c-.194.813.691 1.456 1.405 1.02L10 15.591l4.069 2.485c.713.436 1.598-.207 1.404-1.02l-1.106-4.637 3.62-3.102c.635-.544.297-1.584-.536-1.65l-4.752-.382-1.831-4.401z" clip-rule="evenodd" />
              </svg>`;

const OUTLINE_STAR = `<svg xmlns="http://www.w3.org/2000/svg" fill="none" viewBox="0 0 24 24" stroke-width="1.5" stroke="currentColor" class="h-5 w-5 flex-none">
                <path stroke-linecap="round" stroke-linejoin="round" d="M11.48 3.499a.562.562 0 0 1 1.04 0l2.125 5.111a.563.563 0 0 0 .475.345l5.518.442c.499.04.701.663.321.988l-4.204 3.602a.563.563 0 0 0-.182.557l1.285 5.385a.562.562 0 0 1-.84.61l-4.725-2.885a.562.562 0 0 0-.586 0L6.982 20.54a.562.562 0 0 1-.84-.61l1.285-5.386a.562.562 0 0 0-.182-.557l-4.204-3.602a.562.562 0 0 1 .321-.988l5.518-.442a.563.563 0 0 0 .475-.345L11.48 3.5Z" />
              </svg>`;

function repeat(markup: string, count: number): string {
  return Array.from({ length: Math.max(0, Math.trunc(count)) }, () => `              ${markup}\n`).join('');
}

function ratingBlock(rating: unknown): string {
  if (!truthy(rating)) return '';
  const stars = field(rating, 'stars');
  if (truthy(stars)) {
    const count = typeof stars === 'number' ? stars : 0;
    return `<div class="flex gap-x-1 text-${text(field(rating, 'color'))}-500">
${repeat(FULL_STAR, count)}${repeat(OUTLINE_STAR, 5 - count)}            </div>`;
  }
  const error = field(rating, 'error');
  return truthy(error) ? `<p class="text-red-500">${text(error)}</p>` : '';
}

function servedBy(reviews: unknown): string {
  const cluster = field(reviews, 'clustername');
  const clusterLine = jinjaText(cluster) !== 'null' || cluster === undefined ? `\n                  on cluster <div>${text(cluster)}</div>` : '';
  return `Reviews served by: \n                  ${text(field(reviews, 'podname'))}${clusterLine}`;
}

function reviewSection(review: unknown, reviews: unknown): string {
  return `
        <section class="px-6 py-12 sm:py-8 lg:px-8">
          <div class="mx-auto max-w-2xl">
            ${ratingBlock(field(review, 'rating'))}
            <blockquote class="mt-10 text-xl font-semibold leading-8 tracking-tight text-gray-900 sm:text-2xl sm:leading-9">
              <p>"${text(field(review, 'text'))}"</p>
            </blockquote>
            <div class="mt-4 flex items-center gap-x-6">
              <img class="h-16 w-16 rounded-full bg-gray-50" src="/static/img/izzy.png" alt="Izzy">
              <div class="text-sm leading-6">
                <div class="font-semibold text-gray-900">${text(field(review, 'reviewer'))}</div>
                <div class="mt-0.5 text-gray-600 font-mono">${servedBy(reviews)}
                </div>
              </div>
            </div>
        </section>`;
}

function reviewsList(reviews: unknown): string {
  const list = field(reviews, 'reviews');
  const sections = Array.isArray(list) ? list.map((review) => reviewSection(review, reviews)).join('') : '';
  return `<h4 class="text-3xl font-semibold">Book Reviews</h4>
      <div class="flex flex-col md:flex-row">${sections}
      </div>`;
}

export function reviewsSection(reviews: DownstreamResult): string {
  const content =
    reviews.status === 200
      ? reviewsList(reviews.body)
      : `<p class="text-2xl text-red-500">Error fetching product reviews</p>` +
        (truthy(reviews.body) ? `\n      <p class="text-lg text-gray-600">${text(field(reviews.body, 'error'))}</p>` : '');
  return `
<!-- Book reviews section -->
<div class="bg-blue-600/5 py-12 mx-auto" >
  <div class="container mx-auto px-4 sm:px-6 lg:px-8>
    <div class="max-w-2xl">
      ${content}
    </div>
    </div>
  </div>
</div>
`;
}
