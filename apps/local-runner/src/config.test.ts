import path from 'node:path';
import { CommanderError } from 'commander';
import { readConfig } from './config';

const repo = '/repo';

/** commander writes its own error line to stderr before throwing; keep test output clean. */
function rejected(argv: string[], env: Record<string, string> = {}): Error {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    readConfig(argv, env, repo);
  } catch (err) {
    if (err instanceof Error) return err;
  } finally {
    spy.mockRestore();
  }
  throw new Error(`expected ${argv.join(' ')} to be rejected`);
}

describe('local runner config', () => {
  it('defaults: gateway on 127.0.0.1:8080, state in .trellis, pods in 127.0.10.0/24', () => {
    expect(readConfig([], {}, repo)).toEqual({
      distDir: path.join(repo, 'dist'),
      stateDir: path.resolve('.trellis'),
      reset: false,
      gatewayHost: '127.0.0.1',
      gatewayPort: 8080,
      gatewayHttpsPort: 8443,
      addressBlock: '127.0.10',
      manifestPaths: [path.join(repo, 'samples/bookinfo/platform/kube/bookinfo.yaml')],
      mysqlInitScript: path.join(repo, 'samples/bookinfo/src/mysql/mysqldb-init.sql'),
      initialConfig: [path.join(repo, 'samples/bookinfo/networking/bookinfo-gateway.yaml')],
      logLevel: 'info',
      accessLog: false,
      readyTimeoutMs: 60000,
      restartBackoff: { initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 },
      kiali: { host: '127.0.0.1', port: 20001 },
    });
  });

  it('Kiali: on the gateway host at --kiali-port (TRELLIS_KIALI_PORT), or not at all with --no-kiali', () => {
    expect(readConfig(['--kiali-port', '20002', '--host', '127.0.0.5'], {}, repo).kiali).toEqual({ host: '127.0.0.5', port: 20002 });
    expect(readConfig([], { TRELLIS_KIALI_PORT: '20003' }, repo).kiali).toEqual({ host: '127.0.0.1', port: 20003 });
    expect(readConfig(['--no-kiali'], {}, repo).kiali).toBeUndefined();
  });

  it('--with mysql adds the mysql variant manifests after bookinfo.yaml (once); unknown variants are rejected', () => {
    const kube = (f: string): string => path.join(repo, 'samples/bookinfo/platform/kube', f);
    expect(readConfig(['--with', 'mysql', '--with', 'mysql'], {}, repo).manifestPaths).toEqual([kube('bookinfo.yaml'), kube('bookinfo-mysql.yaml'), kube('bookinfo-ratings-v2-mysql.yaml')]);
    expect(rejected(['--with', 'mongo'])).toBeInstanceOf(CommanderError);
  });

  it('--with versions adds bookinfo-versions.yaml (the Gateway API tasks\' per-version Services)', () => {
    const kube = (f: string): string => path.join(repo, 'samples/bookinfo/platform/kube', f);
    expect(readConfig(['--with', 'versions'], {}, repo).manifestPaths).toEqual([kube('bookinfo.yaml'), kube('bookinfo-versions.yaml')]);
  });

  it('reads --port/-p, --reset, --state-dir, --address-block, --host, --log-level, --access-log', () => {
    const c = readConfig(['--port', '9090', '--reset', '--state-dir', '/tmp/trellis-x', '--address-block', '127.0.42', '--host', '127.0.0.2', '--log-level', 'debug', '--access-log'], {}, repo);
    expect(c).toMatchObject({ gatewayPort: 9090, reset: true, stateDir: '/tmp/trellis-x', addressBlock: '127.0.42', gatewayHost: '127.0.0.2', logLevel: 'debug', accessLog: true });
    expect(readConfig(['-p', '0'], {}, repo).gatewayPort).toBe(0);
    expect(readConfig(['--state-dir', 'rel/state'], {}, repo).stateDir).toBe(path.resolve('rel/state'));
  });

  it('--https-port (TRELLIS_HTTPS_PORT) publishes the gateway’s 8443 on another host port; a bad one is rejected', () => {
    expect(readConfig(['--https-port', '9443'], {}, repo).gatewayHttpsPort).toBe(9443);
    expect(readConfig([], { TRELLIS_HTTPS_PORT: '18443' }, repo).gatewayHttpsPort).toBe(18443);
    expect(readConfig(['--https-port', '9443'], { TRELLIS_HTTPS_PORT: '18443' }, repo).gatewayHttpsPort).toBe(9443);
    expect(rejected(['--https-port', 'https'])).toBeInstanceOf(CommanderError);
  });

  it('falls back to TRELLIS_PORT and the other env variables; flags win', () => {
    const env = { TRELLIS_PORT: '8181', TRELLIS_HOST: '127.0.0.3', TRELLIS_STATE_DIR: '/tmp/state', TRELLIS_ADDRESS_BLOCK: '127.0.77', LOG_LEVEL: 'warn' };
    expect(readConfig([], env, repo)).toMatchObject({ gatewayPort: 8181, gatewayHost: '127.0.0.3', stateDir: '/tmp/state', addressBlock: '127.0.77', logLevel: 'warn' });
    expect(readConfig(['--port', '8282'], env, repo).gatewayPort).toBe(8282);
    expect(readConfig([], { TRELLIS_PORT: '' }, repo).gatewayPort).toBe(8080);
  });

  it.each([['http'], ['-1'], ['65536'], ['80.5'], ['']])('rejects --port %j', (port) => {
    const err = rejected(['--port', port]);
    expect(err).toBeInstanceOf(CommanderError);
    expect(err).toMatchObject({ code: 'commander.invalidArgument' });
    expect(err.message).toMatch(/not a port number/);
  });

  it.each([['10.0.0'], ['127.0.10.0'], ['127.0'], ['127.256.1'], ['127.0.300'], ['localhost']])('rejects --address-block %j', (block) => {
    const err = rejected(['--address-block', block]);
    expect(err).toMatchObject({ code: 'commander.invalidArgument' });
    expect(err.message).toMatch(/expected a loopback \/24 prefix like 127\.0\.10/);
  });

  it('rejects a bad TRELLIS_PORT or TRELLIS_ADDRESS_BLOCK, naming the variable', () => {
    const port = rejected([], { TRELLIS_PORT: 'eighty' });
    expect(port).not.toBeInstanceOf(CommanderError);
    expect(port.message).toBe('TRELLIS_PORT=eighty: not a port number');
    expect(rejected([], { TRELLIS_ADDRESS_BLOCK: '10.1.2' }).message).toBe('TRELLIS_ADDRESS_BLOCK=10.1.2: expected a loopback /24 prefix like 127.0.10');
  });

  it('--restart-backoff (TRELLIS_RESTART_BACKOFF) sets the first restart wait; the kubelet’s 10s, doubling to 5m, by default', () => {
    expect(readConfig([], {}, repo).restartBackoff).toEqual({ initialMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 });
    expect(readConfig(['--restart-backoff', '500ms'], {}, repo).restartBackoff?.initialMs).toBe(500);
    expect(readConfig([], { TRELLIS_RESTART_BACKOFF: '2s' }, repo).restartBackoff?.initialMs).toBe(2000);
    expect(rejected(['--restart-backoff', '10'])).toMatchObject({ code: 'commander.invalidArgument' });
    expect(rejected(['--restart-backoff', '6m']).message).toMatch(/between 1ms and 5m/);
  });

  it('rejects unknown flags', () => {
    expect(rejected(['--gateway-port', '1'])).toMatchObject({ code: 'commander.unknownOption' });
  });
});
