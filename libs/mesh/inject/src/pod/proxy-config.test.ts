import { mergeProxyConfig } from './proxy-config';

describe('mergeProxyConfig (istiod MergeProxyConfig over meshConfig.defaultConfig)', () => {
  it('the pod wins for scalars; messages and proxyMetadata merge; lists are replaced', () => {
    const defaults = { terminationDrainDuration: '10s', concurrency: 2, tracing: { sampling: 1, zipkin: { address: 'z:9411' } }, proxyMetadata: { A: '1', B: '2' }, proxyStatsMatcher: { inclusionPrefixes: ['a'] } };
    const pod = JSON.stringify({ terminationDrainDuration: '3s', tracing: { sampling: 50 }, proxyMetadata: { B: 'x' }, proxyStatsMatcher: { inclusionPrefixes: ['b'] } });
    expect(JSON.parse(mergeProxyConfig(defaults, pod)!)).toEqual({
      terminationDrainDuration: '3s', concurrency: 2, tracing: { sampling: 50, zipkin: { address: 'z:9411' } }, proxyMetadata: { A: '1', B: 'x' }, proxyStatsMatcher: { inclusionPrefixes: ['b'] },
    });
  });

  it('either alone is PROXY_CONFIG; neither (or an empty defaultConfig) is none', () => {
    expect(mergeProxyConfig({ terminationDrainDuration: '10s' }, undefined)).toBe('{"terminationDrainDuration":"10s"}');
    expect(mergeProxyConfig(undefined, '{"terminationDrainDuration":"1s"}')).toBe('{"terminationDrainDuration":"1s"}');
    expect(mergeProxyConfig({}, undefined)).toBeUndefined();
    expect(mergeProxyConfig(undefined, undefined)).toBeUndefined();
  });

  it('does not modify the mesh config it merges into', () => {
    const defaults = { tracing: { sampling: 1 } };
    mergeProxyConfig(defaults, '{"tracing":{"sampling":9}}');
    expect(defaults).toEqual({ tracing: { sampling: 1 } });
  });
});
