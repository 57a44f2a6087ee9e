/** The built runner (dist/apps/local-runner/main.js) as `npm start -- <flags>` runs it. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const main = path.resolve(__dirname, '../../../dist/apps/local-runner/main.js');
const run = (...args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [main, ...args], { encoding: 'utf8', timeout: 15_000, env: { PATH: process.env['PATH'] ?? '' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('local runner process', () => {
  it('--help prints the usage and exits 0 without starting anything', () => {
    const r = run('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: trellis-local \[options\]/);
    expect(r.stdout).toContain('--port <port>');
    expect(r.stdout).toContain('--reset');
    expect(r.stdout).not.toContain('Trellis local mode');
    expect(r.stdout).not.toContain('Error');
    expect(r.stderr).toBe('');
  });

  it('a bad flag exits 1 with commander’s message, once', () => {
    const r = run('--port', 'http');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/option '-p, --port <port>' argument 'http' is invalid\. not a port number/);
    expect(r.stdout).toBe('');
  });

  it('a bad TRELLIS_PORT exits 1 and says which variable', () => {
    const r = spawnSync(process.execPath, [main], { encoding: 'utf8', timeout: 15_000, env: { PATH: process.env['PATH'] ?? '', TRELLIS_PORT: 'eighty' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('Error: TRELLIS_PORT=eighty: not a port number\n');
  });
});
