import { SpanBatch } from './span-batch';
import type { FinishedSpan } from './span-context';
import { randomId64 } from './ids';
import { TagList, jsonString } from './tag-list';
import { zipkinFormat, zipkinJson } from './zipkin-json';

const span = (i: number): FinishedSpan => ({
  name: 'reviews.default.svc.cluster.local:9080/*', kind: 'SERVER', traceId: '463ac35c9f6413ad48485a3953bb6124', id: `e457b5a2e4d86b${String(i).padStart(2, '0')}`,
  parentId: undefined, timestampUs: 1_700_000_000_000_000 + i, durationUs: 10, tags: { 'http.url': 'http://reviews/ü"\n', error: 'true' }, traceState: undefined,
});

describe('SpanBatch (the reporter staging buffer)', () => {
  const local = { serviceName: 'reviews.default', ipv4: '10.0.0.7' };
  const format = zipkinFormat(local);

  it('the body is the Zipkin JSON list of the appended spans, byte for byte, and empty after take', () => {
    const b = new SpanBatch(format, 64 * 1024);
    const spans = [span(1), span(2), span(3)];
    for (const s of spans) expect(b.append(format.span(s, TagList.from(s.tags)))).toBe(true);
    expect(b.spans).toBe(3);
    const body = b.take();
    expect(body.toString()).toBe(zipkinJson(spans, local));
    expect(JSON.parse(body.toString())).toHaveLength(3);
    expect(b.spans).toBe(0);
    expect(b.append(format.span(span(4), TagList.from(span(4).tags)))).toBe(true);
    expect(JSON.parse(b.take().toString())).toEqual(JSON.parse(zipkinJson([span(4)], local)));
  });

  it('take hands out the staging buffer itself; a recycled body serves the next batch, which stays correct', () => {
    const b = new SpanBatch(format, 64 * 1024);
    const first = b.take();
    expect(first.toString()).toBe('[]');
    b.recycle(first);
    expect(b.append(format.span(span(5), TagList.from(span(5).tags)))).toBe(true);
    const second = b.take();
    expect(second.buffer).toBe(first.buffer);
    expect(JSON.parse(second.toString())).toEqual(JSON.parse(zipkinJson([span(5)], local)));
    const third = b.take(); // nothing recycled: a new buffer, the sent body is left untouched
    expect(third.buffer).not.toBe(second.buffer);
    expect(third.toString()).toBe('[]');
    expect(JSON.parse(second.toString())).toHaveLength(1);
    b.recycle(second);
    b.recycle(third); // one spare only: the second stays the spare
    expect(b.take().buffer).toBe(second.buffer);
  });

  it('bounded: a span that does not fit is refused and the batch stays valid JSON', () => {
    const one = format.span(span(1), TagList.from(span(1).tags));
    const b = new SpanBatch(format, Buffer.byteLength(one) * 2 + 3); // '[' + span + ',' + span + ']'
    expect(b.append(one)).toBe(true);
    expect(b.append(one)).toBe(true);
    expect(b.append(one)).toBe(false);
    expect(b.spans).toBe(2);
    expect(JSON.parse(b.take().toString())).toHaveLength(2);
    const tiny = new SpanBatch(format, 10);
    expect(tiny.append(one)).toBe(false);
    expect(tiny.take().toString()).toBe('[]');
  });
});

describe('span JSON pieces', () => {
  it('jsonString quotes safe ASCII as is and escapes everything else exactly as JSON.stringify', () => {
    for (const v of ['', 'outbound|8080||reviews.default.svc.cluster.local', 'a"b', 'a\\b', 'line\nbreak', 'ü', '\u007f', '\ud800', 'tab\t']) expect(jsonString(v)).toBe(JSON.stringify(v));
  });

  it('randomId64: 16 lower-case hex digits, distinct across pool refills', () => {
    const ids = new Set<string>();
    for (let i = 0; i < 1500; i++) ids.add(randomId64()); // > 4 KiB of random bytes: several refills
    expect(ids.size).toBe(1500);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{16}$/);
  });
});
