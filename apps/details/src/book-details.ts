/** details v1's fixed book; only the id echoes the request. Serialised as Ruby's `to_json` would. */
export function bookDetailsJson(id: bigint): string {
  return (
    `{"id":${id.toString()},"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,` +
    `"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}`
  );
}

/** Upstream: `req.path.split('/')` (Ruby drops trailing empty parts) and the last part is the id. */
export function lastPathSegment(path: string): string {
  const parts = path.split('/');
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts[parts.length - 1] ?? '';
}
