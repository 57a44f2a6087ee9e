/**
 * Exposition text written straight into fixed-size Buffers: the renderers `put` the pieces of a line
 * (metric name, the series' cached label text, the number) and hand over a chunk whenever one is
 * full, so a scrape builds neither the whole body as one string (a large-object-space string per
 * scrape) nor a string per line — the only garbage is the small number strings and one Buffer per
 * CHUNK_BYTES, which die as soon as the socket has them.
 */
export const CHUNK_BYTES = 16 * 1024;

export class ChunkWriter {
  private buf: Buffer | undefined = undefined;
  private at = 0;
  private readonly done: Buffer[] = [];

  constructor(private readonly size: number = CHUNK_BYTES) {}

  put(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit; a piece that may not fit closes the chunk.
    if (this.at + s.length * 3 > this.size) {
      this.close();
      if (s.length * 3 > this.size) {
        this.done.push(Buffer.from(s, 'utf8'));
        return;
      }
    }
    this.buf ??= Buffer.allocUnsafe(this.size);
    this.at += this.buf.write(s, this.at, 'utf8');
  }

  /** Chunks completed so far (each at most `size` bytes, except a single oversized piece). */
  take(): Buffer[] {
    return this.done.splice(0, this.done.length);
  }

  /** Everything, the partial chunk included. */
  end(): Buffer[] {
    this.close();
    return this.take();
  }

  private close(): void {
    if (this.buf === undefined || this.at === 0) return;
    this.done.push(this.buf.subarray(0, this.at));
    this.buf = undefined;
    this.at = 0;
  }
}

/** The whole text (tests, callers wanting a string): the chunks decoded. */
export function joinChunks(chunks: Iterable<Buffer>): string {
  return Buffer.concat([...chunks]).toString('utf8');
}

const NEWLINE = Buffer.from('\n');

/** The chunks, then a newline if the text is not empty and does not end with one (pilot-agent's merge). */
export function* endingWithNewline(chunks: Iterable<Buffer>): Generator<Buffer, void, undefined> {
  let last: Buffer | undefined;
  for (const c of chunks) {
    if (c.length === 0) continue;
    last = c;
    yield c;
  }
  if (last !== undefined && last[last.length - 1] !== 0x0a) yield NEWLINE;
}
