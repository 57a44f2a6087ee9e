import { existsSync } from 'node:fs';
import { defaultHttpbinBinary } from '@trellis/mesh-local';
import { applyYaml, expectedLines, headersSeen, peerAuthentication, probeUntil, type ProbeResult } from './mtls-probes';
import { removeStateDir, startStack, type TestStack } from './stack';
import { trellis } from './user';

// The mTLS half of Istio's authn-policy task (bookinfo-spec §5.9) in local mode: `legacy` has httpbin
// too (no sidecar), 3×3 probes; mesh, namespace, workload and port-level PeerAuthentication with
// Istio's precedence; `trellis x describe pod` telling which mode the pod's sidecar enforces.
jest.setTimeout(300_000);

const httpbin = process.env['TRELLIS_HTTPBIN'] ?? defaultHttpbinBinary(process.env);
if (!existsSync(httpbin)) process.stderr.write(`skipping authn-policy: ${httpbin} not built (tools/samples/build-httpbin.sh)\n`);
const describeWithHttpbin = existsSync(httpbin) ? describe : describe.skip;

const NS = ['foo', 'bar', 'legacy'];
const MESH_STRICT = peerAuthentication({ name: 'default', namespace: 'istio-system', mode: 'STRICT' });
const FOO_STRICT = peerAuthentication({ name: 'default', namespace: 'foo', mode: 'STRICT' });
const BAR_HTTPBIN_STRICT = peerAuthentication({ name: 'httpbin', namespace: 'bar', mode: 'STRICT', app: 'httpbin' });
// Istio's docs name port 80 for their httpbin image; go-httpbin's container port is 8080 (the spec's note).
const BAR_HTTPBIN_PORT_DISABLE = peerAuthentication({ name: 'httpbin', namespace: 'bar', mode: 'STRICT', app: 'httpbin', ports: { 8080: 'DISABLE' } });
const FOO_OVERWRITE = peerAuthentication({ name: 'overwrite-example', namespace: 'foo', mode: 'DISABLE', app: 'httpbin' });

let stack: TestStack;
const lines = (results: readonly ProbeResult[]): string[] => results.map((r) => r.line);
const table = async (refused: string[] = []): Promise<string[]> => lines(await probeUntil(stack.stateDir, NS, NS, expectedLines(NS, NS, refused)));

/** `trellis x describe pod <httpbin pod> -n <ns>` — the pod name from the stack's local-pods.json. */
async function describeHttpbin(namespace: string): Promise<string> {
  const pods = await trellis(stack.stateDir, 'x', 'exec', '-n', namespace, 'deploy/httpbin', '--', 'sh', '-c', 'echo $HOSTNAME');
  const r = await trellis(stack.stateDir, 'x', 'describe', 'pod', pods.stdout.trim(), '-n', namespace);
  if (r.code !== 0) throw new Error(`describe failed: ${r.stderr}`);
  return r.stdout;
}

describeWithHttpbin('authn-policy’s mTLS half (§5.9) in local mode', () => {
  beforeAll(async () => {
    stack = await startStack({ args: ['--with', 'httpbin@foo,sleep@foo,httpbin@bar,sleep@bar,sleep@legacy:nosidecar,httpbin@legacy:nosidecar'] });
  });
  afterAll(async () => {
    const code = await stack?.stop();
    if (stack !== undefined) removeStateDir(stack.stateDir);
    expect(code).toBe(0);
  });

  it('setup: all nine probes 200 (PERMISSIVE by default); XFCC on foo → foo, none towards httpbin.legacy', async () => {
    expect(await table()).toEqual(expectedLines(NS, NS));
    const fooToFoo = await headersSeen(stack.stateDir, 'foo', 'foo');
    expect(fooToFoo['X-Forwarded-Client-Cert']?.[0]).toMatch(/^By=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/httpbin;Hash=[0-9a-f]{64};Subject="";URI=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/sleep$/);
    expect((await headersSeen(stack.stateDir, 'foo', 'legacy'))['X-Forwarded-Client-Cert']).toBeUndefined();
  });

  it('mesh-wide STRICT: legacy → foo and legacy → bar 000, all others 200 (foo → legacy included)', async () => {
    await applyYaml(stack.stateDir, MESH_STRICT);
    expect(await table(['legacy>foo', 'legacy>bar'])).toEqual(expectedLines(NS, NS, ['legacy>foo', 'legacy>bar']));
    expect(await describeHttpbin('bar')).toMatch(/Applied PeerAuthentication:\n\s+default\.istio-system\nEffective PeerAuthentication:\n\s+Workload mTLS mode: STRICT/);
    await applyYaml(stack.stateDir, MESH_STRICT, 'delete');
  });

  it('namespace STRICT in foo: only legacy → foo fails', async () => {
    await applyYaml(stack.stateDir, FOO_STRICT);
    expect(await table(['legacy>foo'])).toEqual(expectedLines(NS, NS, ['legacy>foo']));
  });

  it('workload STRICT on httpbin in bar (selector app: httpbin): legacy → bar fails too; describe says STRICT', async () => {
    await applyYaml(stack.stateDir, BAR_HTTPBIN_STRICT);
    expect(await table(['legacy>foo', 'legacy>bar'])).toEqual(expectedLines(NS, NS, ['legacy>foo', 'legacy>bar']));
    expect(await describeHttpbin('bar')).toMatch(/Applied PeerAuthentication:\n\s+httpbin\.bar\nEffective PeerAuthentication:\n\s+Workload mTLS mode: STRICT\n/);
  });

  it('portLevelMtls 8080: DISABLE on that policy: legacy → bar 200 again; sidecar clients send it plaintext (no XFCC)', async () => {
    await applyYaml(stack.stateDir, BAR_HTTPBIN_PORT_DISABLE);
    expect(await table(['legacy>foo'])).toEqual(expectedLines(NS, NS, ['legacy>foo']));
    expect((await headersSeen(stack.stateDir, 'foo', 'bar'))['X-Forwarded-Client-Cert']).toBeUndefined();
    expect(await describeHttpbin('bar')).toMatch(/Workload mTLS mode: STRICT\n\s+Port Level mTLS mode:\n\s+8080: DISABLE/);
  });

  it('precedence: workload policy overwrite-example (DISABLE) beats namespace STRICT in foo → legacy → foo 200', async () => {
    await applyYaml(stack.stateDir, BAR_HTTPBIN_PORT_DISABLE, 'delete');
    await applyYaml(stack.stateDir, FOO_OVERWRITE);
    expect(await table()).toEqual(expectedLines(NS, NS));
    expect(await describeHttpbin('foo')).toMatch(/Applied PeerAuthentication:\n\s+default\.foo, overwrite-example\.foo\nEffective PeerAuthentication:\n\s+Workload mTLS mode: DISABLE/);
    await applyYaml(stack.stateDir, FOO_OVERWRITE, 'delete');
    await applyYaml(stack.stateDir, FOO_STRICT, 'delete');
    expect(await table()).toEqual(expectedLines(NS, NS));
  });
});
