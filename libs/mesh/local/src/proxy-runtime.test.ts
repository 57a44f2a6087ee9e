import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gatewaySpec, sidecarSpec } from './process-specs';
import { PROXY_NODE_RUNTIME } from './proxy-runtime';
import type { LocalPlan, PodPlan } from './plan';

const ROOT = path.resolve(__dirname, '../../../..');

/** The lines of a Dockerfile's `FROM … AS <stage>` stage (up to the next FROM). */
function stage(file: string, name: string): string[] {
  const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
  const start = lines.findIndex((l) => new RegExp(`^FROM \\S+ AS ${name}$`).test(l));
  if (start < 0) throw new Error(`${file}: no stage ${name}`);
  const end = lines.findIndex((l, i) => i > start && l.startsWith('FROM '));
  return lines.slice(start, end < 0 ? undefined : end);
}

/** `KEY=value` / `KEY="a b"` pairs of a stage's ENV instructions. */
function envOf(lines: readonly string[]): Record<string, string> {
  const pairs = lines.filter((l) => l.startsWith('ENV ')).flatMap((l) => [...l.slice(4).matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)]);
  return Object.fromEntries(pairs.map((m) => [m[1]!, m[2] ?? m[3] ?? '']));
}

describe('the proxy node runtime, one definition', () => {
  for (const [file, name] of [['Dockerfile', 'proxy'], ['tools/docker/dev.Dockerfile', 'proxy']] as const) {
    it(`is what ${file}'s ${name} stage runs: its flags in TRELLIS_PROXY_NODE_FLAGS, its environment in ENV`, () => {
      const lines = stage(file, name);
      const env = envOf(lines);
      expect(env['TRELLIS_PROXY_NODE_FLAGS']?.split(' ')).toEqual(PROXY_NODE_RUNTIME.nodeFlags);
      for (const [key, value] of Object.entries(PROXY_NODE_RUNTIME.env)) expect(env[key]).toBe(value);
      const entrypoint = lines.find((l) => l.startsWith('ENTRYPOINT '));
      expect(entrypoint).toContain('exec node $TRELLIS_PROXY_NODE_FLAGS $TRELLIS_NODE_FLAGS /app/dist/main.js');
    });
  }

  it('is what local mode runs every proxy with', () => {
    const pod = { name: 'ratings-v1-0', namespace: 'default', ip: '127.0.77.10', labels: {}, serviceAccount: 'default', appEndpoints: {}, proxyEnv: { X: '1' } } as unknown as PodPlan;
    const plan = { controlPlane: { ip: '127.0.77.1', xdsPort: 15010 }, gateway: { ip: '127.0.77.2', name: 'gw', namespace: 'istio-system', labels: {}, publish: [] } } as unknown as LocalPlan;
    const ctx = { distDir: '/dist', stateDir: '/state', logLevel: 'warn', accessLog: false };
    for (const spec of [sidecarSpec(pod, plan, ctx), gatewaySpec(plan, ctx)]) {
      expect(spec.nodeArgs).toEqual(PROXY_NODE_RUNTIME.nodeFlags);
      expect(spec.env).toMatchObject({ ...PROXY_NODE_RUNTIME.env, LOG_LEVEL: 'warn' });
    }
    expect(sidecarSpec(pod, plan, ctx).env['X']).toBe('1');
  });

  it('starts a real node (an unknown or misspelt flag would stop every proxy)', () => {
    const flags = PROXY_NODE_RUNTIME.nodeFlags;
    const out = execFileSync(process.execPath, [...flags, '-e', 'process.stdout.write(JSON.stringify(process.execArgv))'], {
      env: { PATH: process.env['PATH'] ?? '', ...PROXY_NODE_RUNTIME.env },
      timeout: 10_000,
    });
    expect((JSON.parse(out.toString()) as string[]).slice(0, flags.length)).toEqual(flags);
  });
});
