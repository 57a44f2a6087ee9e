import type { ServerResponse } from 'node:http';

/**
 * Writes a body given as chunks with backpressure: the next chunk is made only once the socket took
 * the previous one (or asked to wait and then drained), so a slow scraper holds at most one chunk
 * of the exposition, not all of it. Chunked transfer encoding (no content-length, as Envoy's admin
 * streams /stats/prometheus). A client that goes away stops the rendering; a render that throws
 * resets the response (the status line is already out).
 */
export async function writeChunks(res: ServerResponse, chunks: Iterable<Buffer | string>): Promise<void> {
  try {
    for (const chunk of chunks) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await drained(res);
    }
    if (!res.destroyed) res.end();
  } catch (err) {
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
