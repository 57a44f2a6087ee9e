import { runCli } from '../testing/fake-control-plane';

// Cluster behaviour is covered by install.kube.test.ts against a real API server; these never reach one.
describe('trellis install / uninstall (prompt)', () => {
  const env = { KUBECONFIG: '/nonexistent/kubeconfig' };

  it('asks before installing and stops on no', async () => {
    expect(await runCli(['install'], { env, stdin: 'n\n' })).toEqual({ code: 1, stdout: 'This will install Trellis into the cluster. Proceed? (y/N) Cancelled.\n', stderr: '' });
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
    for (const command of ['install', 'uninstall']) {
      const res = await runCli([command, '--help'], { env });
      expect(res.code).toBe(0);
      const [own = '', global = ''] = res.stdout.split('Global Options:');
      expect(own).toContain('-y, --skip-confirmation');
      expect(own).not.toMatch(/--kubeconfig|--context/);
      expect(global).toMatch(/^ {2}--kubeconfig <file> /m);
      expect(global).toMatch(/^ {2}--context <name> /m);
    }
  });

  it('rejects a bad --timeout', async () => {
    const res = await runCli(['install', '-y', '--timeout', 'soon'], { env });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('invalid duration "soon"');
  });
});
