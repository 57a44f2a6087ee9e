import { loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to Zipkin port 9411, 100000 spans and a one-day lookback', () => {
    expect(loadConfig([], {})).toEqual({ host: '0.0.0.0', port: 9411, maxSpans: 100_000, defaultLookbackMs: 86_400_000, logLevel: 'info' });
  });

  it("reads Zipkin's environment variables, and flags over them", () => {
    const env = { QUERY_PORT: '9412', MEM_MAX_SPANS: '500', QUERY_LOOKBACK: '60000' };
    expect(loadConfig([], env)).toMatchObject({ port: 9412, maxSpans: 500, defaultLookbackMs: 60_000 });
    expect(loadConfig(['--port', '0', '--max-spans=7', '--host', '127.0.0.1'], env)).toMatchObject({ port: 0, maxSpans: 7, host: '127.0.0.1' });
  });

  it('rejects unknown flags and bad numbers', () => {
    expect(() => loadConfig(['--nope'], {})).toThrow('usage: trace-store');
    expect(() => loadConfig(['--port'], {})).toThrow('usage: trace-store');
    expect(() => loadConfig(['--max-spans', '0'], {})).toThrow('max-spans should be an integer');
    expect(() => loadConfig([], { PORT: '70000' })).toThrow('port should be an integer');
    expect(() => loadConfig([], { STORAGE_METHOD: 'cassandra3' })).toThrow('STORAGE_METHOD should be mem');
  });
});
