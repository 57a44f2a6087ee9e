import type { IncomingHttpHeaders } from 'node:http';
import { type SamplingRates, decideTrace, requestIdBucket, traceReasonOf, withTraceReason } from './sampling';

// First 8 hex digits 0x00000063 = 99 → bucket 99; 0x00002710 = 10000 → bucket 0; 0x0000270f → 9999.
const RID_99 = '00000063-1111-4222-8333-444444444444';
const RID_9999 = '0000270f-1111-4222-8333-444444444444';
const ALL: SamplingRates = { client: 10000, random: 10000, overall: 10000 };
const ONE_PERCENT: SamplingRates = { client: 10000, random: 100, overall: 10000 };
const NONE: SamplingRates = { client: 10000, random: 0, overall: 10000 };
const never = (): number => 0.999999;
const always = (): number => 0;

describe('Envoy tracing decision on x-request-id', () => {
  it('buckets the first 8 hex digits mod 10000', () => {
    expect(requestIdBucket(RID_99)).toBe(99);
    expect(requestIdBucket('00002710-1111-4222-8333-444444444444')).toBe(0);
    expect(requestIdBucket('not-hex!')).toBe(-1);
    expect(requestIdBucket('abc')).toBe(-1);
  });

  it('packs and reads the reason in the UUID 15th character', () => {
    expect(withTraceReason(RID_99, 'sampling')).toBe('00000063-1111-9222-8333-444444444444');
    expect(withTraceReason(RID_99, 'forced').charAt(14)).toBe('a');
    expect(withTraceReason(RID_99, 'client').charAt(14)).toBe('b');
    expect(traceReasonOf(withTraceReason(RID_99, 'client'))).toBe('client');
    expect(withTraceReason(withTraceReason(RID_99, 'sampling'), 'none')).toBe(RID_99);
    expect(withTraceReason('short-id', 'sampling')).toBe('short-id');
    expect(traceReasonOf(RID_99)).toBe('none');
  });

  it.each<[string, string | undefined, IncomingHttpHeaders, SamplingRates, () => number, boolean, string]>([
    ['random 100 %', RID_9999, {}, ALL, never, false, 'sampling'],
    ['random 1 %, bucket 99 is in', RID_99, {}, ONE_PERCENT, never, false, 'sampling'],
    ['random 1 %, bucket 9999 is out', RID_9999, {}, ONE_PERCENT, never, false, 'none'],
    ['random 0 %', RID_99, {}, NONE, always, false, 'none'],
    ['already sampled upstream (9): kept at 0 %', withTraceReason(RID_9999, 'sampling'), {}, NONE, never, false, 'sampling'],
    ['x-client-trace-id at client_sampling 100 %', RID_9999, { 'x-client-trace-id': 'abc' }, NONE, never, false, 'client'],
    ['x-client-trace-id at client_sampling 0 %', RID_9999, { 'x-client-trace-id': 'abc' }, { ...NONE, client: 0 }, always, false, 'none'],
    ['x-envoy-force-trace from inside', RID_9999, { 'x-envoy-force-trace': '1' }, NONE, never, true, 'forced'],
    ['x-envoy-force-trace from outside', RID_9999, { 'x-envoy-force-trace': '1' }, NONE, never, false, 'none'],
    ['overall_sampling caps every reason', withTraceReason(RID_9999, 'client'), {}, { ...ALL, overall: 5000 }, never, false, 'none'],
    ['no request id: no decision', undefined, { 'x-client-trace-id': 'a' }, ALL, always, false, 'none'],
    ['request id not hex: no decision', 'zzzzzzzz-1111-4222-8333-444444444444', {}, ALL, always, false, 'none'],
  ])('%s', (_name, rid, headers, rates, random, internal, expected) => {
    expect(decideTrace(rid, headers, rates, random, internal)).toBe(expected);
  });
});
