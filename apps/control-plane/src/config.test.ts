import path from 'node:path';
import { CommanderError } from 'commander';
import { isTrellisError } from '@trellis/shared';
import { readConfig } from './config';

describe('readConfig', () => {
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    // commander prints its own message before throwing under exitOverride().
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => stderr.mockRestore());

  it("defaults to Istio's ports and a .trellis state dir", () => {
    expect(readConfig([], {})).toEqual({
      host: '0.0.0.0',
      xdsPort: 15010,
      httpPort: 15014,
      stateDir: path.resolve('.trellis'),
      debounceQuietMs: 100,
      debounceMaxMs: 10000,
      logLevel: 'info',
      privateApis: true,
      mtls: true,
      trustDomain: 'cluster.local',
      ca: { port: 15012, trustDomain: 'cluster.local', pluggedInDir: path.resolve('.trellis/cacerts'), namespace: 'istio-system' },
      meshConfigFile: path.resolve('.trellis/mesh.yaml'),
    });
  });

  it('MeshConfig file (local mode only) and the JWKS refresh interval from flags or env', () => {
    expect(readConfig(['--mesh-config', 'm.yaml'], {}).meshConfigFile).toBe(path.resolve('m.yaml'));
    expect(readConfig(['--state-dir', '/s'], { TRELLIS_MESH_CONFIG: undefined }).meshConfigFile).toBe('/s/mesh.yaml');
    expect(readConfig(['--registry', 'kube'], {}).meshConfigFile).toBeUndefined();
    expect(readConfig([], {}).jwksRefreshMs).toBeUndefined();
    expect(readConfig(['--jwks-refresh', '1h30m'], {}).jwksRefreshMs).toBe(5_400_000);
    expect(readConfig([], { TRELLIS_JWKS_REFRESH: '500ms' }).jwksRefreshMs).toBe(500);
    expect(() => readConfig(['--jwks-refresh', 'often'], {})).toThrow(CommanderError);
    expect(() => readConfig([], { TRELLIS_JWKS_REFRESH: '0s' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  it('runs the CA on 15012 only on Istio ports in local mode, unless --ca-port / TRELLIS_CA_PORT say otherwise', () => {
    expect(readConfig(['--xds-port', '0'], {}).ca).toBeUndefined();
    expect(readConfig(['--registry', 'kube'], {}).ca).toBeUndefined();
    expect(readConfig(['--xds-port', '0', '--ca-port', '0'], {}).ca?.port).toBe(0);
    expect(readConfig(['--ca-port', 'off'], {}).ca).toBeUndefined();
    expect(readConfig(['--registry', 'kube'], { TRELLIS_CA_PORT: '15012', POD_NAMESPACE: 'mesh' }).ca).toMatchObject({ port: 15012, namespace: 'mesh' });
    // leader election: the pod's name identifies the replica (the Deployment sets POD_NAME)
    expect(readConfig(['--registry', 'kube'], { POD_NAME: 'istiod-7f4b8c6d9f-abc12' }).kube?.identity).toBe('istiod-7f4b8c6d9f-abc12');
    expect(readConfig(['--registry', 'kube'], {}).kube?.identity).toMatch(new RegExp(`-${process.pid}$`));
    expect(readConfig(['--trust-domain', 'example.org', '--cacerts-dir', '/etc/cacerts'], {}).ca).toMatchObject({ trustDomain: 'example.org', pluggedInDir: '/etc/cacerts' });
  });

  it('emits mTLS by default when the CA runs (Istio: PERMISSIVE + auto mTLS), else off; --mtls / TRELLIS_MTLS decide otherwise', () => {
    expect(readConfig([], {}).mtls).toBe(true);
    expect(readConfig(['--xds-port', '0'], {}).mtls).toBe(false);
    expect(readConfig(['--registry', 'kube'], { TRELLIS_CA_PORT: '15012' }).mtls).toBe(true);
    expect(readConfig([], { TRELLIS_MTLS: 'off' }).mtls).toBe(false);
    expect(readConfig(['--xds-port', '0', '--mtls', 'on'], {}).mtls).toBe(true);
    expect(readConfig([], { TRELLIS_MTLS: 'on' }).mtls).toBe(true);
    expect(() => readConfig(['--mtls', 'yes'], {})).toThrow(/must be on or off/);
  });

  it("reads istiod's PILOT_HTTP10 as Go parses a bool (unset or unparsable: off)", () => {
    expect(readConfig([], {}).http10).toBeUndefined();
    expect(readConfig([], { PILOT_HTTP10: '1' }).http10).toBe(true);
    expect(readConfig([], { PILOT_HTTP10: 'true' }).http10).toBe(true);
    expect(readConfig([], { PILOT_HTTP10: 'yes' }).http10).toBeUndefined();
    expect(readConfig([], { PILOT_HTTP10: 'false' }).http10).toBeUndefined();
  });

  it('turns the private-API seam off by flag or TRELLIS_PRIVATE_APIS', () => {
    expect(readConfig(['--private-apis', 'off'], {}).privateApis).toBe(false);
    expect(readConfig([], { TRELLIS_PRIVATE_APIS: 'off' }).privateApis).toBe(false);
    expect(readConfig(['--private-apis', 'on'], { TRELLIS_PRIVATE_APIS: 'off' }).privateApis).toBe(true);
    expect(() => readConfig(['--private-apis', 'no'], {})).toThrow(/must be on or off/);
    let thrown: unknown;
    try {
      readConfig([], { TRELLIS_PRIVATE_APIS: 'no' });
    } catch (err) {
      thrown = err;
    }
    expect(isTrellisError(thrown) && thrown.code).toBe('CONFIG_INVALID');
  });

  it('reads flags', () => {
    const c = readConfig(
      ['--host', '127.0.0.1', '--xds-port', '0', '--http-port', '18014', '--state-dir', '/tmp/cp-state', '--debounce-quiet', '5', '--debounce-max', '250'],
      {},
    );
    expect(c).toMatchObject({ host: '127.0.0.1', xdsPort: 0, httpPort: 18014, stateDir: '/tmp/cp-state', debounceQuietMs: 5, debounceMaxMs: 250 });
  });

  it('makes a relative --state-dir absolute', () => {
    expect(readConfig(['--state-dir', 'rel/state'], {}).stateDir).toBe(path.resolve('rel/state'));
  });

  it('reads the environment when no flag is given, flags win over it', () => {
    const env = { TRELLIS_HOST: '127.0.10.1', TRELLIS_XDS_PORT: '25010', TRELLIS_HTTP_PORT: '25014', TRELLIS_STATE_DIR: '/tmp/from-env', LOG_LEVEL: 'debug' };
    expect(readConfig([], env)).toMatchObject({ host: '127.0.10.1', xdsPort: 25010, httpPort: 25014, stateDir: '/tmp/from-env', logLevel: 'debug' });
    expect(readConfig(['--xds-port', '1234', '--host', '::1'], env)).toMatchObject({ host: '::1', xdsPort: 1234, httpPort: 25014 });
  });

  it('treats empty environment values as unset and ignores unknown log levels', () => {
    expect(readConfig([], { TRELLIS_XDS_PORT: '', TRELLIS_HOST: '', LOG_LEVEL: 'loud' })).toMatchObject({ host: '0.0.0.0', xdsPort: 15010, logLevel: 'info' });
  });

  it.each([['--xds-port', 'abc'], ['--xds-port', '65536'], ['--http-port', '-1'], ['--http-port', '80.5']])('rejects %s %s', (flag, value) => {
    let thrown: unknown;
    try {
      readConfig([flag, value], {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CommanderError);
    expect((thrown as CommanderError).code).toBe('commander.invalidArgument');
    expect((thrown as CommanderError).message).toContain('not a port number');
  });

  it('rejects an invalid duration', () => {
    expect(() => readConfig(['--debounce-quiet', 'soon'], {})).toThrow(/not a duration in milliseconds/);
  });

  it.each([['TRELLIS_XDS_PORT', 'abc'], ['TRELLIS_HTTP_PORT', '70000']])('rejects %s=%s instead of listening on NaN', (name, value) => {
    let thrown: unknown;
    try {
      readConfig([], { [name]: value });
    } catch (err) {
      thrown = err;
    }
    expect(isTrellisError(thrown) && thrown.code).toBe('CONFIG_INVALID');
  });

  it('rejects unknown flags', () => {
    expect(() => readConfig(['--xds-prot', '1'], {})).toThrow(CommanderError);
  });
});
