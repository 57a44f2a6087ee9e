import type { IncomingHttpHeaders } from 'node:http';
import type { HeaderMap } from '../routing/header-mutation';
import { extractContext, incomingSampled, injectB3, injectB3Single, injectTraceparent } from './propagation';

const TRACE128 = '463ac35c9f6413ad48485a3953bb6124';
const TRACE64 = '48485a3953bb6124';
const SPAN = 'a2fb4a1d1a96d312';
const span = { traceId: TRACE128, id: 'e457b5a2e4d86bd1', parentId: SPAN };

function roundTrip(inject: (out: HeaderMap, s: typeof span) => void, w3cFirst: boolean): ReturnType<typeof extractContext> {
  const out: HeaderMap = {};
  inject(out, span);
  return extractContext(out as IncomingHttpHeaders, w3cFirst);
}

describe('trace context propagation', () => {
  it('round-trips the span through B3 multi, B3 single and traceparent', () => {
    const expected = { traceId: TRACE128, spanId: 'e457b5a2e4d86bd1' };
    expect(roundTrip(injectB3, false)).toEqual(expected);
    expect(roundTrip(injectB3Single, false)).toEqual(expected);
    expect(roundTrip(injectTraceparent, true)).toEqual(expected);
    const out: HeaderMap = {};
    injectB3(out, span);
    expect(out).toEqual({ 'x-b3-traceid': TRACE128, 'x-b3-spanid': 'e457b5a2e4d86bd1', 'x-b3-parentspanid': SPAN, 'x-b3-sampled': '1' });
    injectB3Single(out, span);
    expect(out['b3']).toBe(`${TRACE128}-e457b5a2e4d86bd1-1-${SPAN}`);
  });

  it('pads a 64-bit B3 trace id to 128 bits in traceparent', () => {
    const out: HeaderMap = {};
    injectTraceparent(out, { traceId: TRACE64, id: SPAN, parentId: undefined });
    expect(out['traceparent']).toBe(`00-0000000000000000${TRACE64}-${SPAN}-01`);
  });

  it.each<[string, IncomingHttpHeaders, boolean | undefined]>([
    ['x-b3-sampled 1', { 'x-b3-sampled': '1' }, true],
    ['x-b3-sampled 0', { 'x-b3-sampled': '0' }, false],
    ['x-b3-sampled true (old tracers)', { 'x-b3-sampled': 'true' }, true],
    ['x-b3-flags debug', { 'x-b3-flags': '1', 'x-b3-sampled': '0' }, true],
    ['b3 deny only', { b3: '0' }, false],
    ['b3 debug', { b3: 'd' }, true],
    ['b3 single 64-bit sampled', { b3: `${TRACE64}-${SPAN}-1` }, true],
    ['b3 single 128-bit not sampled with parent', { b3: `${TRACE128}-${SPAN}-0-${SPAN}` }, false],
    ['b3 single without sampling state', { b3: `${TRACE64}-${SPAN}` }, undefined],
    ['b3 single wins over x-b3-sampled', { b3: '0', 'x-b3-sampled': '1' }, false],
    ['traceparent sampled', { traceparent: `00-${TRACE128}-${SPAN}-01` }, true],
    ['traceparent not sampled', { traceparent: `00-${TRACE128}-${SPAN}-00` }, false],
    ['nothing', {}, undefined],
  ])('sampling state: %s', (_name, headers, expected) => {
    expect(incomingSampled(headers, false)).toBe(expected);
  });

  it('reads the provider format first: Zipkin B3, OpenTelemetry traceparent', () => {
    const h = { 'x-b3-sampled': '0', traceparent: `00-${TRACE128}-${SPAN}-01`, 'x-b3-traceid': TRACE64, 'x-b3-spanid': SPAN };
    expect(incomingSampled(h, false)).toBe(false);
    expect(incomingSampled(h, true)).toBe(true);
    expect(extractContext(h, false)).toEqual({ traceId: TRACE64, spanId: SPAN });
    expect(extractContext(h, true)).toEqual({ traceId: TRACE128, spanId: SPAN });
  });

  it.each<[string, IncomingHttpHeaders]>([
    ['short span id', { 'x-b3-traceid': TRACE64, 'x-b3-spanid': 'abc' }],
    ['non-hex trace id', { 'x-b3-traceid': 'zz485a3953bb6124', 'x-b3-spanid': SPAN }],
    ['all-zero trace id', { 'x-b3-traceid': '0000000000000000', 'x-b3-spanid': SPAN }],
    ['b3 garbage', { b3: 'not-a-context' }],
    ['traceparent version ff', { traceparent: `ff-${TRACE128}-${SPAN}-01` }],
    ['traceparent upper case', { traceparent: `00-${TRACE128.toUpperCase()}-${SPAN}-01` }],
  ])('a malformed context is null (no span, as Envoy): %s', (_name, h) => {
    expect(extractContext(h, false)).toBeNull();
  });

  it('no context: a new trace; only a trace id: none either', () => {
    expect(extractContext({}, false)).toBeUndefined();
    expect(extractContext({ 'x-b3-traceid': TRACE64 }, false)).toBeUndefined();
    expect(extractContext({ b3: '1' }, false)).toBeUndefined();
  });

  it('accepts upper-case B3 ids and normalises them', () => {
    expect(extractContext({ 'x-b3-traceid': TRACE64.toUpperCase(), 'x-b3-spanid': SPAN.toUpperCase() }, false)).toEqual({ traceId: TRACE64, spanId: SPAN });
  });
});
