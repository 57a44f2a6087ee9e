import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { spawnSync } from 'node:child_process';
import type { LocalPodRecord } from '@trellis/mesh-local';
import { run } from '../run';
import { checkContainer, execCommand, parseExecTarget, selectPod } from './exec-target';
import { execArgv, podEnvironment, unshareArgs } from './run-in-pod';

const pod = (name: string, namespace: string, deployment: string, sidecar = true): LocalPodRecord => ({
  name, namespace, deployment, ip: '127.0.10.17', sidecar, container: deployment, hostsFile: `/state/pods/${name}/hosts`,
  env: sidecar ? { HOSTNAME: name, HTTP_PROXY: 'http://127.0.10.17:15001', http_proxy: 'http://127.0.10.17:15001' } : { HOSTNAME: name },
});
const PODS = [pod('sleep-abc-1', 'default', 'sleep'), pod('sleep-abc-2', 'foo', 'sleep'), pod('sleep-abc-3', 'legacy', 'sleep', false), pod('httpbin-x-1', 'default', 'httpbin')];

describe('trellis x exec: arguments', () => {
  it.each([
    ['sleep', { kind: 'any', name: 'sleep' }],
    ['deploy/sleep', { kind: 'deployment', name: 'sleep' }],
    ['deployment/sleep', { kind: 'deployment', name: 'sleep' }],
    ['deployments.apps/sleep', { kind: 'deployment', name: 'sleep' }],
    ['pod/sleep-abc-1', { kind: 'pod', name: 'sleep-abc-1' }],
    ['po/sleep-abc-1', { kind: 'pod', name: 'sleep-abc-1' }],
  ])('%s → %j', (arg, target) => expect(parseExecTarget(arg)).toEqual(target));

  it.each(['svc/sleep', 'deploy/', 'deploy/a/b', ''])('rejects %j with EXEC_USAGE', (arg) => {
    expect(() => parseExecTarget(arg)).toThrow(expect.objectContaining({ code: 'EXEC_USAGE' }));
  });

  it('picks the pod by name, else the deployment, in the namespace only', () => {
    expect(selectPod(PODS, parseExecTarget('sleep'), 'default').name).toBe('sleep-abc-1');
    expect(selectPod(PODS, parseExecTarget('deploy/sleep'), 'legacy').name).toBe('sleep-abc-3');
    expect(selectPod(PODS, parseExecTarget('sleep-abc-2'), 'foo').name).toBe('sleep-abc-2');
    expect(() => selectPod(PODS, parseExecTarget('sleep-abc-2'), 'default')).toThrow('pods "sleep-abc-2" not found in namespace default');
    expect(() => selectPod(PODS, parseExecTarget('pod/sleep'), 'default')).toThrow(expect.objectContaining({ code: 'EXEC_NOT_FOUND' }));
    expect(() => selectPod(PODS, parseExecTarget('deploy/sleep'), 'bar')).toThrow('deployments.apps "sleep" not found in namespace bar');
  });

  it('-c names the pod container, or istio-proxy when the pod has a sidecar', () => {
    const sleep = PODS[0] as LocalPodRecord;
    expect(() => checkContainer(sleep, undefined)).not.toThrow();
    expect(() => checkContainer(sleep, 'sleep')).not.toThrow();
    expect(() => checkContainer(sleep, 'istio-proxy')).not.toThrow();
    expect(() => checkContainer(PODS[2] as LocalPodRecord, 'istio-proxy')).toThrow('container istio-proxy is not valid for pod sleep-abc-3: it has sleep');
    expect(() => checkContainer(sleep, 'curl')).toThrow(expect.objectContaining({ code: 'EXEC_CONTAINER_NOT_FOUND' }));
  });

  it('needs a command', () => {
    expect(execCommand(['curl', '-s', 'http://httpbin:8000/ip'])).toEqual(['curl', '-s', 'http://httpbin:8000/ip']);
    expect(() => execCommand([])).toThrow(/at least one command/);
  });

  it("runs with the pod's env (not the user's proxy settings) and binds its hosts file over /etc/hosts", () => {
    const env = podEnvironment(PODS[0] as LocalPodRecord, { PATH: '/usr/bin', HOME: '/root', http_proxy: 'http://corp:3128', SECRET: 'x' });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/root', HOSTNAME: 'sleep-abc-1', HTTP_PROXY: 'http://127.0.10.17:15001', http_proxy: 'http://127.0.10.17:15001' });
    expect(podEnvironment(PODS[2] as LocalPodRecord, { PATH: '/bin' })).toEqual({ PATH: '/bin', HOSTNAME: 'sleep-abc-3' });
    expect(unshareArgs(true)).toEqual(['--mount', '--']);
    expect(unshareArgs(false)).toEqual(['--mount', '--map-root-user', '--']);
    const [file, args] = execArgv(PODS[0] as LocalPodRecord, ['curl', '-s', 'x'], true, false);
    expect([file, args.slice(-5)]).toEqual(['unshare', ['trellis-exec', '/state/pods/sleep-abc-1/hosts', 'curl', '-s', 'x']]);
    expect(execArgv(PODS[0] as LocalPodRecord, ['curl', '-s'], false, true)).toEqual(['curl', ['-s']]);
  });
});

// The whole command against a state dir with a pods file: output, exit code, kubectl's "command terminated".
const canUnshare = spawnSync('unshare', [...unshareArgs(process.getuid?.() === 0), 'true']).status === 0;
(canUnshare ? describe : describe.skip)('trellis x exec: running', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'trellis-exec-'));
    const hostsFile = path.join(dir, 'hosts');
    writeFileSync(hostsFile, '127.0.0.1\tlocalhost\n127.0.10.254\thttpbin.foo httpbin.foo.svc httpbin.foo.svc.cluster.local\n');
    writeFileSync(path.join(dir, 'local-pods.json'), JSON.stringify({ pods: [{ ...pod('sleep-abc-3', 'legacy', 'sleep', false), hostsFile }] }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function exec(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const [stdout, stderr] = [new PassThrough(), new PassThrough()];
    let [out, err] = ['', ''];
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await run(['--state-dir', dir, ...argv], { stdout, stderr, stdin: new PassThrough(), env: { PATH: process.env['PATH'], TRELLIS_TARGET: 'local' }, cwd: dir });
    return { code, out, err };
  }

  it("resolves names through the pod's hosts file and prints the output", async () => {
    const r = await exec('x', 'exec', '-n', 'legacy', 'deploy/sleep', '--', 'sh', '-c', 'getent hosts httpbin.foo; echo "$HOSTNAME"');
    expect(r).toEqual({ code: 0, out: '127.0.10.254    httpbin.foo httpbin.foo.svc httpbin.foo.svc.cluster.local\nsleep-abc-3\n', err: '' });
  });

  it('exits with the command\'s code and says so as kubectl does', async () => {
    const r = await exec('x', 'exec', '-n', 'legacy', 'sleep', '--', 'sh', '-c', 'echo 000; exit 56');
    expect(r).toEqual({ code: 56, out: '000\n', err: 'command terminated with exit code 56\n' });
  });

  it('an unknown pod or no running stack is an error', async () => {
    expect(await exec('x', 'exec', 'sleep', '--', 'true')).toMatchObject({ code: 1, err: 'Error: pods "sleep" not found in namespace default\n' });
    rmSync(path.join(dir, 'local-pods.json'));
    expect((await exec('x', 'exec', '-n', 'legacy', 'sleep', '--', 'true')).err).toMatch(/no local stack is running/);
  });
});
