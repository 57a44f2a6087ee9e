/** Request bodies as collectors send them: JSON, optionally gzip-compressed; anything else is refused by name. */
import { gunzipSync } from 'node:zlib';
import { TrellisError } from '@trellis/shared';

/** Inflated bodies are bounded too, so a small gzip bomb cannot take the heap. */
export const MAX_INFLATED_BYTES = 64 * 1024 * 1024;

export type BodyEncoding = 'json' | 'protobuf';

/** The media type of a span POST; a missing Content-Type reads as JSON, as in Zipkin. */
export function bodyEncoding(contentType: string | undefined): BodyEncoding | undefined {
  const type = (contentType ?? 'application/json').split(';', 1)[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json' || type === '') return 'json';
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  return undefined;
}

export function bodyText(body: Buffer | undefined, contentEncoding: string | undefined): string {
  const raw = body ?? Buffer.alloc(0);
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding === 'identity' || encoding === '') return raw.toString('utf8');
  if (encoding !== 'gzip') throw new TrellisError('UNSUPPORTED_ENCODING', 'Content-Encoding should be gzip or absent', { contentEncoding });
  try {
    return gunzipSync(raw, { maxOutputLength: MAX_INFLATED_BYTES }).toString('utf8');
  } catch (err) {
    throw new TrellisError('SPAN_INVALID', 'Content-Encoding is gzip but the body could not be inflated', { reason: String(err) });
  }
}

/** The number of elements when `text` is a JSON array (for the dropped-spans counter), else 0. */
export function arrayLength(text: string): number {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value.length : 0;
  } catch {
    return 0;
  }
}
