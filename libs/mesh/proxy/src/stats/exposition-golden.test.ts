import { createHash } from 'node:crypto';
import { collectIstioMetrics, istioMetricChunks, renderIstioMetrics } from './istio-render';
import { exposureFixture } from './exposition-fixture';
import { CHUNK_BYTES, ChunkWriter, endingWithNewline, joinChunks } from './text-chunks';

// The fixture's exposition as the one-string renderer (before streaming, 269abe6) printed it.
const GOLDEN = { bytes: 6110890, sha256: '346957e1b912a52a229885a26f53fe4d2e11b98962ff00f8d25dc92697c209b9' };

describe('streamed exposition', () => {
  const metrics = exposureFixture();

  it('is byte-identical to the one-string renderer, in chunks of at most 16 KiB', () => {
    const chunks = [...istioMetricChunks(collectIstioMetrics(metrics))];
    const text = joinChunks(chunks);
    expect(Buffer.byteLength(text)).toBe(GOLDEN.bytes);
    expect(createHash('sha256').update(text).digest('hex')).toBe(GOLDEN.sha256);
    expect(chunks.length).toBeGreaterThan(100);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(CHUNK_BYTES);
    // Filled to within one piece (a piece is at most a label text: < 2 KiB here, 3 bytes per unit reserved).
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThan(CHUNK_BYTES - 6 * 1024);
    expect(renderIstioMetrics(metrics)).toBe(text);
  });

  it('gives every scrape the same label texts (cached per series)', () => {
    const first = collectIstioMetrics(metrics).get('requests_total');
    const second = collectIstioMetrics(metrics).get('requests_total');
    const a = [...(first?.keys() ?? [])];
    const b = [...(second?.keys() ?? [])];
    expect(a.length).toBeGreaterThan(10);
    expect(b).toEqual(a);
  });

  it('copies the numbers at collection: traffic during a slow scrape does not change its text', () => {
    const m = exposureFixture();
    const families = collectIstioMetrics(m);
    const before = joinChunks(istioMetricChunks(collectIstioMetrics(m)));
    const edge = [...m.all()][0]?.all[0];
    if (edge === undefined) throw new Error('fixture has no edge');
    edge.httpSeries('-', 200, false, -1).duration.record(3);
    edge.httpSeries('NR', 404, false, -1).requests++;
    expect(joinChunks(istioMetricChunks(families))).toBe(before);
    expect(joinChunks(istioMetricChunks(collectIstioMetrics(m)))).not.toBe(before);
  });

  it('adds the final newline pilot-agent adds, only when missing', () => {
    const b = (s: string): Buffer => Buffer.from(s);
    expect(joinChunks(endingWithNewline([b('a 1\n'), b('b 2')]))).toBe('a 1\nb 2\n');
    expect(joinChunks(endingWithNewline([b('a 1\n'), b('')]))).toBe('a 1\n');
    expect(joinChunks(endingWithNewline([]))).toBe('');
  });

  it('writes UTF-8 across chunk ends and gives an oversized piece its own chunk', () => {
    const w = new ChunkWriter(64);
    const pieces = ['naïve-ñs ', 'x'.repeat(15), '"∑"\n', 'y'.repeat(100), 'z\n'];
    for (const p of pieces) w.put(p);
    const chunks = w.end();
    expect(joinChunks(chunks)).toBe(pieces.join(''));
    expect(chunks.map((c) => c.length)).toEqual([Buffer.byteLength(pieces.slice(0, 3).join('')), 100, 2]);
  });
});
