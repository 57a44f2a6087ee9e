import { runCli } from '../testing/fake-control-plane';

// Cluster behaviour is covered by install.kube.test.ts against a real API server; these never reach one.
describe('trellis install / uninstall (prompt)', () => {
  const env = { KUBECONFIG: '/nonexistent/kubeconfig' };

  it('asks before installing and stops on no', async () => {
    expect(await runCli(['install'], { env, stdin: 'n\n' })).toEqual({ code: 1, stdout: 'This will install the Trellis 0.1.0 profile "default" into the cluster. Proceed? (y/N) Cancelled.\n', stderr: '' });
    expect((await runCli(['install', '--set', 'profile=demo'], { env, stdin: 'n\n' })).stdout).toBe('This will install the Trellis 0.1.0 profile "demo" into the cluster. Proceed? (y/N) Cancelled.\n');
    expect((await runCli(['manifest', 'apply', '-s', 'profile=minimal'], { env, stdin: '' })).stdout).toBe('This will install the Trellis 0.1.0 profile "minimal" into the cluster. Proceed? (y/N) Cancelled.\n');
  });

  it('asks before uninstalling and stops without an answer', async () => {
    expect(await runCli(['uninstall'], { env, stdin: '' })).toEqual({ code: 1, stdout: 'All Trellis resources will be removed from the cluster. Proceed? (y/N) Cancelled.\n', stderr: '' });
  });

  it('goes to the cluster after yes (here: a kubeconfig that does not exist)', async () => {
    const res = await runCli(['install', '--no-wait'], { env, stdin: 'y\n' });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe('Error: cannot load the kubeconfig\n');
  });

  it('lists --kubeconfig and --context once in its help, as global options (istioctl global flags)', async () => {
    for (const command of ['install', 'uninstall', 'verify-install']) {
      const res = await runCli([command, '--help'], { env });
      expect(res.code).toBe(0);
      const [own = '', global = ''] = res.stdout.split('Global Options:');
      expect(own).toContain(command === 'verify-install' ? '-f, --filename <file>' : '-y, --skip-confirmation');
      expect(own).not.toMatch(/--kubeconfig|--context/);
      expect(global).toMatch(/^ {2}--kubeconfig <file> /m);
      expect(global).toMatch(/^ {2}--context <name> /m);
    }
  });

  it('rejects --set paths it does not honour, by name, before asking or touching a cluster', async () => {
    const res = await runCli(['install', '--set', 'values.global.hub=docker.io/istio'], { env, stdin: 'y\n' });
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^Error: --set values.global.hub=docker.io\/istio: Trellis does not honour "values.global.hub"; it honours profile, .*values.gateways.istio-ingressgateway.type\n$/);
    expect((await runCli(['install', '--set', 'meshConfig'], { env })).stderr).toContain('"meshConfig": expected <path>=<value>');
    expect((await runCli(['install', '-f', 'nope.yaml'], { env })).stderr).toBe('Error: open nope.yaml: no such file or directory\n');
  });

  it('fails on unknown flags and commands with a suggestion, as istioctl (cobra) does', async () => {
    expect(await runCli(['install', '--sett', 'profile=demo'], { env })).toEqual({ code: 1, stdout: '', stderr: "error: unknown option '--sett'\n(Did you mean --set?)\n" });
    expect(await runCli(['manifest', 'generat'], { env })).toMatchObject({ code: 1, stderr: expect.stringContaining('(Did you mean generate?)') });
    expect(await runCli(['verify-instal'], { env })).toMatchObject({ code: 1, stderr: "error: unknown command 'verify-instal'\n(Did you mean verify-install?)\n" });
  });

  it('rejects a bad --timeout', async () => {
    const res = await runCli(['install', '-y', '--timeout', 'soon'], { env });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('invalid duration "soon"');
  });
});
