/**
 * The reviews body, built exactly like LibertyRestEndpoint.getJsonResponse (string concatenation,
 * so the spacing is upstream's): `id` is a string, `rating` absent when ratings are disabled.
 */
export interface ReviewsView {
  readonly productId: string;
  readonly podName: string;
  readonly clusterName: string;
  readonly ratingsEnabled: boolean;
  readonly starColor: string;
  /** Stars per reviewer; -1 = ratings unavailable. */
  readonly stars: readonly [number, number];
}

const REVIEWS = [
  { reviewer: 'Reviewer1', text: 'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!' },
  { reviewer: 'Reviewer2', text: 'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.' },
] as const;

const str = (value: string): string => JSON.stringify(value);

function ratingJson(view: ReviewsView, stars: number): string {
  if (!view.ratingsEnabled) return '';
  if (stars === -1) return ', "rating": {"error": "Ratings service is currently unavailable"}';
  return `, "rating": {"stars": ${stars}, "color": ${str(view.starColor)}}`;
}

export function reviewsJson(view: ReviewsView): string {
  const reviews = REVIEWS.map(
    (review, i) =>
      `{  "reviewer": ${str(review.reviewer)},  "text": ${str(review.text)}${ratingJson(view, view.stars[i] ?? -1)}}`,
  );
  return (
    `{"id": ${str(view.productId)},"podname": ${str(view.podName)},"clustername": ${str(view.clusterName)},` +
    `"reviews": [${reviews.join(',')}]}`
  );
}
