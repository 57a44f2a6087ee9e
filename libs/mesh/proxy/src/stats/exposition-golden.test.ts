import { createHash } from 'node:crypto';
import { collectIstioMetrics, istioMetricLines, renderIstioMetrics } from './istio-render';
import { exposureFixture } from './exposition-fixture';
import { CHUNK_CHARS, chunked, endingWithNewline, joinChunks } from './text-chunks';

// The fixture's exposition as the one-string renderer (before streaming, 269abe6) printed it.
const GOLDEN = { bytes: 6110890, sha256: '346957e1b912a52a229885a26f53fe4d2e11b98962ff00f8d25dc92697c209b9' };

describe('streamed exposition', () => {
  const metrics = exposureFixture();

  it('is byte-identical to the one-string renderer, in chunks under 64 KiB', () => {
    const chunks = [...chunked(istioMetricLines(collectIstioMetrics(metrics)))];
    const text = chunks.join('');
    expect(Buffer.byteLength(text)).toBe(GOLDEN.bytes);
    expect(createHash('sha256').update(text).digest('hex')).toBe(GOLDEN.sha256);
    expect(chunks.length).toBeGreaterThan(100);
    for (const c of chunks) expect(Buffer.byteLength(c)).toBeLessThan(64 * 1024);
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(CHUNK_CHARS);
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
    const before = joinChunks(istioMetricLines(collectIstioMetrics(m)));
    const edge = [...m.all()][0]?.all[0];
    if (edge === undefined) throw new Error('fixture has no edge');
    edge.httpSeries('-', 200, false, -1).duration.record(3);
    edge.httpSeries('NR', 404, false, -1).requests++;
    expect(joinChunks(istioMetricLines(families))).toBe(before);
    expect(joinChunks(istioMetricLines(collectIstioMetrics(m)))).not.toBe(before);
  });

  it('adds the final newline pilot-agent adds, only when missing', () => {
    expect(joinChunks(endingWithNewline(['a 1\n', 'b 2']))).toBe('a 1\nb 2\n');
    expect(joinChunks(endingWithNewline(['a 1\n', '']))).toBe('a 1\n');
    expect(joinChunks(endingWithNewline([]))).toBe('');
  });
});
