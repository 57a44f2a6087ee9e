import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from '../testing/fake-control-plane';
import { resolveTarget, type TargetInputs } from './target';

describe('resolveTarget', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-target-'));
  const home = path.join(dir, 'home');
  const kubeconfig = path.join(home, '.kube', 'config');
  mkdirSync(path.dirname(kubeconfig), { recursive: true });
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\n');
  const state = path.join(dir, 'with-state', '.trellis');
  mkdirSync(state, { recursive: true });
  writeFileSync(path.join(state, 'control-plane.json'), JSON.stringify({ address: 'http://127.0.0.1:4000' }));
  const resolve = (inputs: Partial<TargetInputs>) => resolveTarget({ env: {}, cwd: dir, ...inputs });

  it('--addr wins, and cannot be combined with --kubeconfig / --context', () => {
    expect(resolve({ addr: '127.0.0.1:9', env: { HOME: home, TRELLIS_TARGET: 'kube' } })).toEqual({ type: 'local', address: 'http://127.0.0.1:9' });
    expect(() => resolve({ addr: 'x', context: 'kind' })).toThrow(/cannot be combined/);
  });

  it('--kubeconfig / --context select the cluster, even with TRELLIS_ADDR or a state file', () => {
    expect(resolve({ kubeconfig: 'k.yaml', env: { TRELLIS_ADDR: 'http://a' } })).toEqual({ type: 'kube', kubeconfig: path.join(dir, 'k.yaml'), istioNamespace: 'istio-system' });
    expect(resolve({ context: 'prod', env: { HOME: home }, cwd: path.dirname(state), istiodAddr: 'http://127.0.0.1:1' })).toEqual({
      type: 'kube',
      kubeconfig,
      context: 'prod',
      istiodAddr: 'http://127.0.0.1:1',
      istioNamespace: 'istio-system',
    });
  });

  it('TRELLIS_TARGET forces a backend', () => {
    expect(resolve({ env: { TRELLIS_TARGET: 'kube', KUBECONFIG: kubeconfig, TRELLIS_ISTIOD_ADDR: 'http://i' } })).toMatchObject({ type: 'kube', kubeconfig, istiodAddr: 'http://i' });
    expect(resolve({ env: { TRELLIS_TARGET: 'local', HOME: home } })).toEqual({ type: 'local', address: 'http://127.0.0.1:15014' });
    expect(() => resolve({ env: { TRELLIS_TARGET: 'cloud' } })).toThrow(/must be "local" or "kube"/);
    expect(() => resolve({ env: { TRELLIS_TARGET: 'kube' } })).toThrow(/no kubeconfig found/);
  });

  it('otherwise: TRELLIS_ADDR or the state file, then a kubeconfig, then the default address', () => {
    expect(resolve({ env: { TRELLIS_ADDR: 'http://a:1/', HOME: home } })).toEqual({ type: 'local', address: 'http://a:1' });
    expect(resolve({ env: { HOME: home }, cwd: path.dirname(state) })).toEqual({ type: 'local', address: 'http://127.0.0.1:4000' });
    expect(resolve({ env: { HOME: home } })).toEqual({ type: 'kube', kubeconfig, istioNamespace: 'istio-system' });
    expect(resolve({ env: { KUBECONFIG: `${path.join(dir, 'missing')}${path.delimiter}${kubeconfig}` } })).toMatchObject({ type: 'kube', kubeconfig });
    // KUBECONFIG set but no listed file exists: ~/.kube/config is not consulted (kubectl's rule).
    expect(resolve({ env: { KUBECONFIG: path.join(dir, 'missing'), HOME: home } })).toEqual({ type: 'local', address: 'http://127.0.0.1:15014' });
    expect(resolve({})).toEqual({ type: 'local', address: 'http://127.0.0.1:15014' });
  });

  it('reports target errors as one line', async () => {
    expect(await runCli(['--addr', 'x', '--context', 'c', 'get', 'vs'], { cwd: dir })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: --addr (local control plane) cannot be combined with --kubeconfig or --context (cluster)\n',
    });
    const bad = await runCli(['--kubeconfig', 'nope.yaml', 'get', 'vs'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: cannot load the kubeconfig .*nope\.yaml: /);
  });
});
