import { CommanderError } from 'commander';
import { readConfig } from './config';

const repo = '/repo';
const samples = (argv: string[]): unknown => readConfig(argv, {}, repo).samples?.manifests;

function rejected(argv: string[]): Error {
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    readConfig(argv, {}, repo);
  } catch (err) {
    if (err instanceof Error) return err;
  } finally {
    spy.mockRestore();
  }
  throw new Error(`expected ${argv.join(' ')} to be rejected`);
}

describe('--with samples', () => {
  it('httpbin,sleep applies the samples in default with sidecars; bookinfo stays as is', () => {
    const cfg = readConfig(['--with', 'httpbin,sleep'], {}, repo);
    expect(cfg.manifestPaths).toEqual(['/repo/samples/bookinfo/platform/kube/bookinfo.yaml']);
    expect(cfg.samples?.manifests).toEqual([
      { file: '/repo/samples/httpbin/httpbin.yaml', namespace: 'default', sidecar: true },
      { file: '/repo/samples/sleep/sleep.yaml', namespace: 'default', sidecar: true },
    ]);
  });

  it("the mTLS walkthroughs' namespaces: name@namespace, :nosidecar for legacy; repeats per namespace count once", () => {
    expect(samples(['--with', 'httpbin@foo,sleep@foo', '--with', 'curl@bar,sleep@legacy:nosidecar,sleep@foo'])).toEqual([
      { file: '/repo/samples/httpbin/httpbin.yaml', namespace: 'foo', sidecar: true },
      { file: '/repo/samples/curl/curl.yaml', namespace: 'bar', sidecar: true },
      { file: '/repo/samples/sleep/sleep.yaml', namespace: 'legacy', sidecar: false },
      { file: '/repo/samples/sleep/sleep.yaml', namespace: 'foo', sidecar: true },
    ]);
  });

  it('extauthz and jwt-server: Istio\'s ext-authz.yaml and the JWKS server', () => {
    expect(samples(['--with', 'extauthz@foo,jwt-server@istio-system'])).toEqual([
      { file: '/repo/samples/extauthz/ext-authz.yaml', namespace: 'foo', sidecar: true },
      { file: '/repo/samples/jwt-server/jwt-server.yaml', namespace: 'istio-system', sidecar: true },
    ]);
  });

  it('no samples, no samples config', () => {
    expect(readConfig(['--with', 'mysql'], {}, repo).samples).toBeUndefined();
  });

  it('mixes with the mysql variant', () => {
    const cfg = readConfig(['--with', 'mysql,httpbin'], {}, repo);
    expect(cfg.manifestPaths).toHaveLength(3);
    expect(cfg.samples?.manifests).toHaveLength(1);
  });

  it('the go-httpbin binary: TRELLIS_HTTPBIN, else build-httpbin.sh\'s place in the cache', () => {
    expect(readConfig(['--with', 'httpbin'], { TRELLIS_HTTPBIN: '/opt/go-httpbin' }, repo).samples?.httpbinBinary).toBe('/opt/go-httpbin');
    expect(readConfig(['--with', 'httpbin'], { HOME: '/home/u' }, repo).samples?.httpbinBinary).toBe('/home/u/.cache/trellis/go-httpbin-v2.14.0/bin/go-httpbin');
    expect(readConfig(['--with', 'httpbin'], { TRELLIS_CACHE: '/c' }, repo).samples?.httpbinBinary).toBe('/c/go-httpbin-v2.14.0/bin/go-httpbin');
  });

  it.each([['fortio2'], ['mysql@foo'], ['mysql:nosidecar'], ['sleep@Foo'], ['sleep@'], [','], ['sleep:sidecar']])('rejects --with %s', (value) => {
    expect(rejected(['--with', value])).toBeInstanceOf(CommanderError);
  });

  it('ratelimit applies the task\'s ConfigMap, then Istio\'s rate-limit-service.yaml', () => {
    expect(readConfig(['--with', 'ratelimit'], {}, repo).samples?.manifests).toEqual([
      { file: '/repo/samples/ratelimit/ratelimit-config.yaml', namespace: 'default', sidecar: true },
      { file: '/repo/samples/ratelimit/rate-limit-service.yaml', namespace: 'default', sidecar: true },
    ]);
  });
});
