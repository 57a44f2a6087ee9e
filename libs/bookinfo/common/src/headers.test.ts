import { productpageForwardHeaders, serviceForwardHeaders, pickHeaders } from './headers';
import { reinjectB3 } from './b3';

const trace = {
  'x-request-id': 'req-1',
  'x-b3-traceid': '80f198ee56343ba864fe8b2a57d3eff7',
  'x-b3-spanid': 'e457b5a2e4d86bd1',
  'x-b3-parentspanid': '05e3ac9a4f6e3b90',
  'x-b3-sampled': '1',
  'x-b3-flags': '0',
  'x-ot-span-context': 'ot',
  'x-datadog-trace-id': '1',
  'x-datadog-parent-id': '2',
  'x-datadog-sampling-priority': '1',
  traceparent: '00-80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-01',
  tracestate: 'a=b',
  'x-cloud-trace-context': 'c/1;o=1',
  'grpc-trace-bin': 'AAA=',
  sw8: '1-abc',
  'user-agent': 'curl/8',
  cookie: 'session=x',
  authorization: 'Bearer t',
  jwt: 'j',
  'end-user': 'mallory',
  host: 'productpage:9080',
  accept: '*/*',
};

describe('productpageForwardHeaders', () => {
  it('re-emits B3 trace/span/sampled unchanged, copies the verbatim list, drops parent/flags/host', () => {
    const out = productpageForwardHeaders(trace);
    expect(out['x-b3-traceid']).toBe(trace['x-b3-traceid']);
    expect(out['x-b3-spanid']).toBe(trace['x-b3-spanid']);
    expect(out['x-b3-sampled']).toBe('1');
    expect(out['x-b3-parentspanid']).toBeUndefined();
    expect(out['x-b3-flags']).toBeUndefined();
    expect(out['host']).toBeUndefined();
    expect(out['accept']).toBeUndefined();
    for (const name of ['x-request-id', 'traceparent', 'sw8', 'user-agent', 'cookie', 'authorization', 'jwt', 'grpc-trace-bin']) {
      expect(out[name]).toBe(trace[name as keyof typeof trace]);
    }
  });

  it('never copies a client-supplied end-user; only the session user is sent', () => {
    expect(productpageForwardHeaders(trace)['end-user']).toBeUndefined();
    expect(productpageForwardHeaders(trace, 'jason')['end-user']).toBe('jason');
  });

  it('sends nothing for an empty request', () => {
    expect(productpageForwardHeaders({})).toEqual({});
  });
});

describe('serviceForwardHeaders', () => {
  it('forwards all five B3 headers and the incoming end-user', () => {
    const out = serviceForwardHeaders(trace);
    expect(out['x-b3-parentspanid']).toBe('05e3ac9a4f6e3b90');
    expect(out['x-b3-flags']).toBe('0');
    expect(out['end-user']).toBe('mallory');
    expect(out['host']).toBeUndefined();
    expect(Object.keys(out)).toHaveLength(20);
  });

  it('joins repeated headers', () => {
    expect(pickHeaders({ tracestate: ['a=1', 'b=2'] }, ['tracestate'])).toEqual({ tracestate: 'a=1, b=2' });
  });
});

describe('reinjectB3', () => {
  it('pads 64-bit trace ids and reports unsampled contexts as 0', () => {
    expect(reinjectB3({ 'x-b3-traceid': '64fe8b2a57d3eff7', 'x-b3-spanid': 'e457b5a2e4d86bd1' })).toEqual({
      'x-b3-traceid': '000000000000000064fe8b2a57d3eff7',
      'x-b3-spanid': 'e457b5a2e4d86bd1',
      'x-b3-sampled': '0',
    });
  });

  it('treats the debug flag as sampled and reads the single b3 header', () => {
    expect(reinjectB3({ 'x-b3-traceid': '64fe8b2a57d3eff7', 'x-b3-spanid': 'e457b5a2e4d86bd1', 'x-b3-flags': '1' })['x-b3-sampled']).toBe('1');
    expect(reinjectB3({ b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1' })).toEqual({
      'x-b3-traceid': '80f198ee56343ba864fe8b2a57d3eff7',
      'x-b3-spanid': 'e457b5a2e4d86bd1',
      'x-b3-sampled': '1',
    });
  });

  it('injects nothing for invalid or partial contexts', () => {
    expect(reinjectB3({ 'x-b3-traceid': 'xyz', 'x-b3-spanid': 'e457b5a2e4d86bd1' })).toEqual({});
    expect(reinjectB3({ 'x-b3-traceid': '64fe8b2a57d3eff7' })).toEqual({});
    expect(reinjectB3({ 'x-b3-traceid': '0000000000000000', 'x-b3-spanid': 'e457b5a2e4d86bd1' })).toEqual({});
  });
});
