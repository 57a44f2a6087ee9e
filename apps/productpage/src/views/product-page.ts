/** `/productpage`: the current (Tailwind-era) upstream template, rendered from the two downstream results. */
import type { DownstreamResult } from '../backends';
import type { Product } from '../products';
import { descriptionSection, detailsSection } from './details-section';
import { navBar, pageHead } from './page-head';
import { reviewsSection } from './reviews-section';
import { signInDialog } from './sign-in-dialog';

export interface ProductPageModel {
  readonly user: string | undefined;
  readonly product: Product;
  readonly details: DownstreamResult;
  readonly reviews: DownstreamResult;
}

export function renderProductPage(model: ProductPageModel): string {
  return [
    pageHead(),
    navBar(model.user),
    signInDialog(),
    descriptionSection(model.product),
    detailsSection(model.details),
    reviewsSection(model.reviews),
  ].join('');
}
