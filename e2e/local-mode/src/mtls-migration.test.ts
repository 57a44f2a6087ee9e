import { existsSync } from 'node:fs';
import { defaultHttpbinBinary } from '@trellis/mesh-local';
import { applyYaml, expectedLines, headersSeen, peerAuthentication, probe, probeUntil, type ProbeResult } from './mtls-probes';
import { removeStateDir, startStack, type TestStack } from './stack';
import { trellis } from './user';

// Istio's mtls-migration task (bookinfo-spec §5.8) in local mode, as a user types it:
//   npm start -- --with httpbin@foo,sleep@foo,httpbin@bar,sleep@bar,sleep@legacy:nosidecar
// then the probe loop, PeerAuthentication STRICT in foo, mesh-wide STRICT in istio-system, and back.
jest.setTimeout(240_000);

const httpbin = process.env['TRELLIS_HTTPBIN'] ?? defaultHttpbinBinary(process.env);
if (!existsSync(httpbin)) process.stderr.write(`skipping mtls-migration: ${httpbin} not built (tools/samples/build-httpbin.sh)\n`);
const describeWithHttpbin = existsSync(httpbin) ? describe : describe.skip;

const FROM = ['foo', 'bar', 'legacy'];
const TO = ['foo', 'bar'];
const NAMESPACE_STRICT = peerAuthentication({ name: 'default', namespace: 'foo', mode: 'STRICT' });
const MESH_STRICT = peerAuthentication({ name: 'default', namespace: 'istio-system', mode: 'STRICT' });

let stack: TestStack;
const lines = (results: readonly ProbeResult[]): string[] => results.map((r) => r.line);

describeWithHttpbin('mtls-migration (§5.8) in local mode: six probes, STRICT in foo, mesh-wide STRICT', () => {
  beforeAll(async () => {
    stack = await startStack({ args: ['--with', 'httpbin@foo,sleep@foo,httpbin@bar,sleep@bar,sleep@legacy:nosidecar'] });
  });
  afterAll(async () => {
    const code = await stack?.stop();
    if (stack !== undefined) removeStateDir(stack.stateDir);
    expect(code).toBe(0);
  });

  it('with no policy every client reaches both httpbins: six lines of 200, no PeerAuthentication anywhere', async () => {
    const results = await probeUntil(stack.stateDir, FROM, TO, expectedLines(FROM, TO));
    expect(lines(results)).toEqual(expectedLines(FROM, TO));
    const pa = await trellis(stack.stateDir, 'get', 'peerauthentication', '--all-namespaces');
    expect(`${pa.stdout}${pa.stderr}`).toMatch(/No resources found/);
  });

  it('auto mTLS: httpbin.foo sees sleep.foo’s identity in X-Forwarded-Client-Cert; the legacy sleep’s plaintext carries none', async () => {
    const fromFoo = await headersSeen(stack.stateDir, 'foo', 'foo');
    expect(fromFoo['X-Forwarded-Client-Cert']).toEqual([
      expect.stringMatching(/^By=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/httpbin;Hash=[0-9a-f]{64};Subject="";URI=spiffe:\/\/cluster\.local\/ns\/foo\/sa\/sleep$/),
    ]);
    const fromLegacy = await headersSeen(stack.stateDir, 'legacy', 'foo');
    expect(fromLegacy['X-Forwarded-Client-Cert']).toBeUndefined();
  });

  it('PeerAuthentication default STRICT in foo: sleep.legacy to httpbin.foo is 000, the other five 200', async () => {
    await applyYaml(stack.stateDir, NAMESPACE_STRICT);
    const expected = expectedLines(FROM, TO, ['legacy>foo']);
    expect(lines(await probeUntil(stack.stateDir, FROM, TO, expected))).toEqual(expected);
  });

  // Istio: `sleep.legacy to httpbin.foo: 000` then `command terminated with exit code 56` — Envoy closes a
  // plaintext connection no STRICT chain matches with the request unread, so the client sees a reset.
  it('…and that refusal is a connection reset: curl exits 56, as against Envoy', async () => {
    const r = await probe(stack.stateDir, 'legacy', 'foo');
    expect([r.line, r.exit]).toEqual(['sleep.legacy to httpbin.foo: 000', 56]);
  });

  it('mesh-wide STRICT (default in istio-system): legacy to foo and to bar are both 000; sidecar clients 200', async () => {
    await applyYaml(stack.stateDir, MESH_STRICT);
    const expected = expectedLines(FROM, TO, ['legacy>foo', 'legacy>bar']);
    expect(lines(await probeUntil(stack.stateDir, FROM, TO, expected))).toEqual(expected);
  });

  it('deleting both policies brings the six 200s back', async () => {
    await applyYaml(stack.stateDir, NAMESPACE_STRICT, 'delete');
    await applyYaml(stack.stateDir, MESH_STRICT, 'delete');
    expect(lines(await probeUntil(stack.stateDir, FROM, TO, expectedLines(FROM, TO)))).toEqual(expectedLines(FROM, TO));
  });
});
