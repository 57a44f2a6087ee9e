/** The built proxy (dist/apps/proxy/main.js): flag errors and --help end the process cleanly. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const main = path.resolve(__dirname, '../../../dist/apps/proxy/main.js');
const run = (args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 15_000, env: { PATH: process.env['PATH'] ?? '', ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('proxy process flags', () => {
  it('--help prints the usage and exits 0', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: trellis-proxy \[options\]/);
    expect(r.stdout).toContain('--publish <port=host:port,...>');
    expect(r.stderr).toBe('');
  });

  it('loads neither protobufjs nor grpc-js (xDS is read through the prebuilt wire schema)', () => {
    const probe = "process.on('exit', () => process.stderr.write(Object.keys(require.cache).filter((f) => f.includes('node_modules')).join('\\n')))";
    const r = spawnSync(process.execPath, ['-e', `${probe}; process.argv.splice(1, 0, ${JSON.stringify(main)}, '--help'); require(${JSON.stringify(main)})`], { encoding: 'utf8', timeout: 15_000, env: { PATH: process.env['PATH'] ?? '' } });
    expect(r.stdout).toMatch(/^Usage: trellis-proxy/);
    expect(r.stderr).toContain('commander');
    expect(r.stderr).not.toMatch(/protobufjs|@grpc\/grpc-js|@grpc\/proto-loader|undici/);
  });

  it('a bad --mode exits 1 with commander’s message only', () => {
    const r = run(['--mode', 'gateway']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("error: option '--mode <mode>' argument 'gateway' is invalid. mode must be sidecar or router\n");
  });

  it('a bad env value exits 1 naming the variable', () => {
    const r = run([], { TRELLIS_PROXY_MODE: 'ingress' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('proxy failed to start: TRELLIS_PROXY_MODE=ingress: mode must be sidecar or router\n');
  });
});
