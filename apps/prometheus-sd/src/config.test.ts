import { isTrellisError } from '@trellis/shared';
import { loadConfig } from './config';

describe('loadConfig', () => {
  it('defaults to the addon pod layout; flags over POD_NAMESPACE over the service account namespace', () => {
    expect(loadConfig([], {}, 'istio-system')).toEqual({
      configFile: '/etc/config/prometheus.yml',
      outputFile: '/etc/prometheus-sd/prometheus.yml',
      targetsDir: '/etc/prometheus-sd/targets',
      namespace: 'istio-system',
      kubeconfig: undefined,
      once: false,
      reloadUrl: 'http://127.0.0.1:9090/-/reload',
      watchIntervalMs: 5000,
      logLevel: 'info',
    });
    const c = loadConfig(['--once', '--config.file=/a.yml', '--namespace', 'x', '--reload.url', 'none', '--watch.interval=2'], { POD_NAMESPACE: 'y' }, 'z');
    expect(c).toMatchObject({ once: true, configFile: '/a.yml', namespace: 'x', reloadUrl: undefined, watchIntervalMs: 2000 });
    expect(loadConfig([], { POD_NAMESPACE: 'y' }, 'z').namespace).toBe('y');
  });

  it.each([[['--bogus']], [['--config.file']], [['--watch.interval', '0']]])('rejects %j', (argv) => {
    let code = '';
    try {
      loadConfig(argv, {}, undefined);
    } catch (err) {
      code = isTrellisError(err) ? err.code : 'other';
    }
    expect(['INVALID_ARGUMENT', 'CONFIG_INVALID']).toContain(code);
  });
});
