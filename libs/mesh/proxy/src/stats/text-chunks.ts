/**
 * Exposition text in pieces: lines are joined into chunks of about CHUNK_CHARS characters (one line
 * may carry a chunk past it; 16 Ki characters stay well under 64 KiB even as 3-byte UTF-8), so a
 * scrape never builds the whole body as one string — each chunk is a young-generation string that
 * dies as soon as the socket has it, instead of a large-object-space string per scrape.
 */
export const CHUNK_CHARS = 16 * 1024;

export function* chunked(lines: Iterable<string>, size: number = CHUNK_CHARS): Generator<string, void, undefined> {
  let buf = '';
  for (const line of lines) {
    buf += line;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf !== '') yield buf;
}

/** The whole text (tests, /stats text callers): the chunks joined. */
export function joinChunks(chunks: Iterable<string>): string {
  let out = '';
  for (const c of chunks) out += c;
  return out;
}

/** The chunks, then a newline if the text is not empty and does not end with one (pilot-agent's merge). */
export function* endingWithNewline(chunks: Iterable<string>): Generator<string, void, undefined> {
  let last = '';
  for (const c of chunks) {
    if (c === '') continue;
    last = c;
    yield c;
  }
  if (last !== '' && !last.endsWith('\n')) yield '\n';
}
