import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { trellis } from './user';

// Istio's mTLS tasks' probe loop, typed as the docs type it (`kubectl exec` → `trellis x exec`):
//   for from in …; for to in …: curl http://httpbin.$to:8000/ip -s -o /dev/null -w "sleep.$from to httpbin.$to: %{http_code}\n"

/** One probe as the user sees it: curl's line and, when curl failed, its exit code (kubectl's line). */
export interface ProbeResult {
  readonly line: string;
  readonly exit: number | null;
}

export async function probe(stateDir: string, from: string, to: string, urlPath = '/ip'): Promise<ProbeResult> {
  const format = `sleep.${from} to httpbin.${to}: %{http_code}`;
  const r = await trellis(stateDir, 'x', 'exec', '-n', from, 'deploy/sleep', '-c', 'sleep', '--', 'curl', `http://httpbin.${to}:8000${urlPath}`, '-s', '-o', '/dev/null', '-w', format);
  return { line: r.stdout, exit: r.code };
}

export async function probeAll(stateDir: string, froms: readonly string[], tos: readonly string[]): Promise<ProbeResult[]> {
  const out: ProbeResult[] = [];
  for (const from of froms) for (const to of tos) out.push(await probe(stateDir, from, to));
  return out;
}

/** The probe lines Istio's task shows: 200 everywhere but the `refused` pairs (`legacy>foo`), which print 000. */
export function expectedLines(froms: readonly string[], tos: readonly string[], refused: readonly string[] = []): string[] {
  return froms.flatMap((from) => tos.map((to) => `sleep.${from} to httpbin.${to}: ${refused.includes(`${from}>${to}`) ? '000' : '200'}`));
}

/** The table as the loop prints it (kubectl's `command terminated with exit code N` after a failed probe). */
export function printed(results: readonly ProbeResult[]): string {
  return results.map((r) => (r.exit === 0 ? r.line : `${r.line}\ncommand terminated with exit code ${String(r.exit)}`)).join('\n');
}

/**
 * Probes until the lines are `expected` (config reaches the proxies asynchronously) or `timeoutMs`
 * passes; returns the last table either way, for the test to assert and print.
 */
export async function probeUntil(stateDir: string, froms: readonly string[], tos: readonly string[], expected: readonly string[], timeoutMs = 15_000): Promise<ProbeResult[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const results = await probeAll(stateDir, froms, tos);
    const same = results.map((r) => r.line).join('\n') === expected.join('\n');
    if (same || Date.now() > deadline) {
      process.stdout.write(`${printed(results)}\n\n`);
      return results;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** `trellis apply -f` / `delete -f` of YAML text, through a file as a user would. */
export async function applyYaml(stateDir: string, yaml: string, verb: 'apply' | 'delete' = 'apply'): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'trellis-yaml-'));
  try {
    const file = path.join(dir, 'policy.yaml');
    writeFileSync(file, yaml);
    const r = await trellis(stateDir, verb, '-f', file);
    if (r.code !== 0) throw new Error(`trellis ${verb} failed (${String(r.code)}): ${r.stderr}${r.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface PeerAuthenticationSpec {
  readonly name: string;
  readonly namespace: string;
  readonly mode: 'STRICT' | 'PERMISSIVE' | 'DISABLE';
  readonly app?: string;
  readonly ports?: Readonly<Record<number, 'STRICT' | 'PERMISSIVE' | 'DISABLE'>>;
}

/** A PeerAuthentication as Istio's tasks write it (security.istio.io/v1). */
export function peerAuthentication(p: PeerAuthenticationSpec): string {
  const lines = ['apiVersion: security.istio.io/v1', 'kind: PeerAuthentication', 'metadata:', `  name: ${p.name}`, `  namespace: ${p.namespace}`, 'spec:'];
  if (p.app !== undefined) lines.push('  selector:', '    matchLabels:', `      app: ${p.app}`);
  lines.push('  mtls:', `    mode: ${p.mode}`);
  if (p.ports !== undefined) lines.push('  portLevelMtls:', ...Object.entries(p.ports).flatMap(([port, mode]) => [`    ${port}:`, `      mode: ${mode}`]));
  return lines.join('\n') + '\n';
}

/** httpbin's `/headers` as seen from sleep in `from` (the JSON's header map). */
export async function headersSeen(stateDir: string, from: string, to: string): Promise<Record<string, string[]>> {
  const r = await trellis(stateDir, 'x', 'exec', '-n', from, 'deploy/sleep', '-c', 'sleep', '--', 'curl', '-s', `http://httpbin.${to}:8000/headers`);
  if (r.code !== 0) throw new Error(`curl /headers from ${from} to ${to} failed (${String(r.code)}): ${r.stderr}`);
  return (JSON.parse(r.stdout) as { headers: Record<string, string[]> }).headers;
}
