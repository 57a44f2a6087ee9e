import { TrellisError } from '@trellis/shared';
import { bypassesProxy, parseNoProxy, proxySettingsFromEnv } from './proxy-settings';

describe('proxySettingsFromEnv', () => {
  it('prefers lower-case variables and normalises a bare host:port', () => {
    expect(proxySettingsFromEnv({ http_proxy: '127.0.0.2:15001', HTTP_PROXY: 'http://other:1', NO_PROXY: 'a, b' })).toEqual({
      httpProxy: 'http://127.0.0.2:15001',
      noProxy: ['a', 'b'],
    });
    expect(proxySettingsFromEnv({})).toEqual({ noProxy: [] });
  });

  it('rejects unusable proxy URLs with a typed error', () => {
    expect(() => proxySettingsFromEnv({ HTTP_PROXY: 'https://secure:443' })).toThrow(TrellisError);
    expect(() => proxySettingsFromEnv({ HTTP_PROXY: 'http://[bad' })).toThrow(TrellisError);
  });
});

describe('bypassesProxy', () => {
  const settings = { httpProxy: 'http://127.0.0.1:1', noProxy: parseNoProxy('localhost,.svc.local, details:9080,10.0.0.1,[::1]') };
  const bypass = (url: string): boolean => bypassesProxy(new URL(url), settings);

  it('matches hosts, suffixes, ports and IP literals', () => {
    expect(bypass('http://localhost:9080/x')).toBe(true);
    expect(bypass('http://api.localhost/x')).toBe(true);
    expect(bypass('http://ratings.svc.local:9080/x')).toBe(true);
    expect(bypass('http://details:9080/details/0')).toBe(true);
    expect(bypass('http://details:9081/details/0')).toBe(false);
    expect(bypass('http://10.0.0.1/')).toBe(true);
    expect(bypass('http://[::1]:9080/')).toBe(true);
    expect(bypass('http://reviews:9080/reviews/0')).toBe(false);
    expect(bypass('http://notlocalhost/')).toBe(false);
  });

  it('bypasses everything for * and when no proxy is set', () => {
    expect(bypassesProxy(new URL('http://reviews:9080/'), { httpProxy: 'http://p:1', noProxy: ['*'] })).toBe(true);
    expect(bypassesProxy(new URL('http://reviews:9080/'), { noProxy: [] })).toBe(true);
  });
});
