import { kialiSpec } from './kiali-addon';

describe('the Kiali addon', () => {
  it('runs dist/apps/kiali with the control plane, the UI and the addons it found', () => {
    const ctx = { distDir: '/repo/dist', logLevel: 'warn' };
    expect(kialiSpec(ctx, { host: '127.0.0.1', port: 20001 }, { controlPlaneUrl: 'http://127.0.10.1:15014', uiDir: '/ui/build', prometheusUrl: 'http://127.0.10.1:9090', tracingUrl: 'http://127.0.10.1:9411' })).toEqual({
      name: 'kiali',
      script: '/repo/dist/apps/kiali/main.js',
      args: ['--host', '127.0.0.1', '--port', '20001', '--control-plane-url', 'http://127.0.10.1:15014', '--ui-dir', '/ui/build', '--prometheus-url', 'http://127.0.10.1:9090', '--tracing-url', 'http://127.0.10.1:9411'],
      env: { LOG_LEVEL: 'warn' },
    });
    expect(kialiSpec(ctx, { host: '127.0.0.1', port: 0 }, { controlPlaneUrl: 'http://cp', uiDir: '/ui' }).args).not.toContain('--prometheus-url');
  });
});
