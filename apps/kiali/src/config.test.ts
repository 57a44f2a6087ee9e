import { loadConfig } from './config';

describe('loadConfig', () => {
  it("defaults to Kiali's port 20001, the local control plane, the in-process metrics and the cached UI", () => {
    expect(loadConfig([], { HOME: '/home/u' })).toEqual({
      host: '0.0.0.0',
      port: 20001,
      controlPlaneUrl: 'http://127.0.0.1:15014',
      uiDir: '/home/u/.cache/trellis/kiali-ui-1.31.0/build',
      logLevel: 'info',
    });
  });

  it('reads flags over environment variables, without trailing slashes', () => {
    const env = { CONTROL_PLANE_URL: 'http://cp:15014', PROMETHEUS_URL: 'http://prom:9090/', PORT: '1' };
    expect(loadConfig([], env)).toMatchObject({ controlPlaneUrl: 'http://cp:15014', prometheusUrl: 'http://prom:9090', port: 1 });
    const argv = ['--control-plane-url', 'http://istiod.istio-system:15014', '--prometheus-url=http://p:9090', '--tracing-url', 'http://zipkin:9411', '--port', '0', '--ui-dir', '/ui'];
    expect(loadConfig(argv, env)).toMatchObject({ controlPlaneUrl: 'http://istiod.istio-system:15014', prometheusUrl: 'http://p:9090', tracingUrl: 'http://zipkin:9411', port: 0, uiDir: '/ui' });
  });

  it('rejects unknown flags, missing values, bad ports and bad URLs naming them', () => {
    expect(() => loadConfig(['--nope'], {})).toThrow('usage: kiali');
    expect(() => loadConfig(['--port'], {})).toThrow('usage: kiali');
    expect(() => loadConfig(['--port', '70000'], {})).toThrow('port should be an integer');
    expect(() => loadConfig(['--prometheus-url', 'prom:9090'], {})).toThrow('prometheus-url should be an http(s) URL');
    expect(() => loadConfig([], { CONTROL_PLANE_URL: 'ftp://x' })).toThrow('control-plane-url should be an http(s) URL');
  });
});
